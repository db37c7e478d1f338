// Stand-in, so the tests and the sample need no package: the part of StackExchange.Redis the rules use, with its
// real namespaces, type and member names and parameter names (`key`, `value`, `hashField`, `when`, `flags`).
using System;
using System.Threading.Tasks;

namespace StackExchange.Redis
{
    [Flags]
    public enum CommandFlags
    {
        None = 0, HighPriority = 1, FireAndForget = 2, PreferMaster = 0, DemandMaster = 4, PreferReplica = 8, DemandReplica = 12,
        [Obsolete] PreferSlave = 8, [Obsolete] DemandSlave = 12, NoRedirect = 64, NoScriptCache = 512,
    }

    public enum When { Always, Exists, NotExists }

    public readonly struct RedisKey
    {
        private readonly string? _value;
        private RedisKey(string? value) => _value = value;
        public static implicit operator RedisKey(string? key) => new RedisKey(key);
        public static implicit operator string?(RedisKey key) => key._value;
        public override string? ToString() => _value;
    }

    public readonly struct RedisValue
    {
        private readonly object? _value;
        private RedisValue(object? value) => _value = value;
        public static RedisValue Null => default;
        public bool IsNull => _value is null;
        public bool HasValue => _value is not null;
        public static implicit operator RedisValue(string? value) => new RedisValue(value);
        public static implicit operator RedisValue(long value) => new RedisValue(value);
        public static implicit operator RedisValue(int value) => new RedisValue(value);
        public static implicit operator RedisValue(double value) => new RedisValue(value);
        public static implicit operator RedisValue(byte[]? value) => new RedisValue(value);
        public static implicit operator string?(RedisValue value) => value._value?.ToString();
        public static implicit operator byte[]?(RedisValue value) => value._value as byte[];
        public static explicit operator long(RedisValue value) => value._value is null ? 0 : Convert.ToInt64(value._value);
        public static explicit operator int(RedisValue value) => value._value is null ? 0 : Convert.ToInt32(value._value);
        public static explicit operator double(RedisValue value) => value._value is null ? 0 : Convert.ToDouble(value._value);
        public override string? ToString() => _value?.ToString();
    }

    public readonly struct HashEntry
    {
        public HashEntry(RedisValue name, RedisValue value) { Name = name; Value = value; }
        public RedisValue Name { get; }
        public RedisValue Value { get; }
    }

    public class Condition
    {
        public static Condition StringEqual(RedisKey key, RedisValue value) => new Condition();
        public static Condition HashEqual(RedisKey key, RedisValue hashField, RedisValue value) => new Condition();
        public static Condition KeyNotExists(RedisKey key) => new Condition();
    }

    public class ConditionResult { public bool WasSatisfied => true; }

    public interface IDatabaseAsync
    {
        Task<RedisValue> StringGetAsync(RedisKey key, CommandFlags flags = CommandFlags.None);
        Task<bool> StringSetAsync(RedisKey key, RedisValue value, TimeSpan? expiry = null, When when = When.Always, CommandFlags flags = CommandFlags.None);
        Task<long> StringIncrementAsync(RedisKey key, long value = 1, CommandFlags flags = CommandFlags.None);
        Task<double> StringIncrementAsync(RedisKey key, double value, CommandFlags flags = CommandFlags.None);
        Task<long> StringDecrementAsync(RedisKey key, long value = 1, CommandFlags flags = CommandFlags.None);
        Task<RedisValue> HashGetAsync(RedisKey key, RedisValue hashField, CommandFlags flags = CommandFlags.None);
        Task<bool> HashSetAsync(RedisKey key, RedisValue hashField, RedisValue value, When when = When.Always, CommandFlags flags = CommandFlags.None);
        Task<long> HashIncrementAsync(RedisKey key, RedisValue hashField, long value = 1, CommandFlags flags = CommandFlags.None);
        Task<long> HashDecrementAsync(RedisKey key, RedisValue hashField, long value = 1, CommandFlags flags = CommandFlags.None);
        Task<long> ListRightPushAsync(RedisKey key, RedisValue value, When when = When.Always, CommandFlags flags = CommandFlags.None);
    }

    public interface IDatabase : IDatabaseAsync
    {
        RedisValue StringGet(RedisKey key, CommandFlags flags = CommandFlags.None);
        bool StringSet(RedisKey key, RedisValue value, TimeSpan? expiry = null, When when = When.Always, CommandFlags flags = CommandFlags.None);
        long StringIncrement(RedisKey key, long value = 1, CommandFlags flags = CommandFlags.None);
        double StringIncrement(RedisKey key, double value, CommandFlags flags = CommandFlags.None);
        long StringDecrement(RedisKey key, long value = 1, CommandFlags flags = CommandFlags.None);
        RedisValue HashGet(RedisKey key, RedisValue hashField, CommandFlags flags = CommandFlags.None);
        HashEntry[] HashGetAll(RedisKey key, CommandFlags flags = CommandFlags.None);
        bool HashSet(RedisKey key, RedisValue hashField, RedisValue value, When when = When.Always, CommandFlags flags = CommandFlags.None);
        long HashIncrement(RedisKey key, RedisValue hashField, long value = 1, CommandFlags flags = CommandFlags.None);
        long HashDecrement(RedisKey key, RedisValue hashField, long value = 1, CommandFlags flags = CommandFlags.None);
        long ListRightPush(RedisKey key, RedisValue value, When when = When.Always, CommandFlags flags = CommandFlags.None);
        bool LockTake(RedisKey key, RedisValue value, TimeSpan expiry, CommandFlags flags = CommandFlags.None);
        bool LockRelease(RedisKey key, RedisValue value, CommandFlags flags = CommandFlags.None);
        ITransaction CreateTransaction(object? asyncState = null);
    }

    public interface IBatch : IDatabaseAsync { void Execute(); }

    public interface ITransaction : IBatch
    {
        ConditionResult AddCondition(Condition condition);
        bool Execute(CommandFlags flags = CommandFlags.None);
        Task<bool> ExecuteAsync(CommandFlags flags = CommandFlags.None);
    }

    public interface IConnectionMultiplexer
    {
        IDatabase GetDatabase(int db = -1, object? asyncState = null);
    }
}
