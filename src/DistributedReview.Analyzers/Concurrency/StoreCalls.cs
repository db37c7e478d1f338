using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Concurrency
{
    /// <summary>Which kind of shared store a call goes to.</summary>
    internal enum StoreKind
    {
        Redis,
        DistributedCache,
        Generic,
    }

    /// <summary>One recognised read from or write to a shared store: the receiver, the key (and hash field) and the written values.</summary>
    internal sealed class StoreCall
    {
        public StoreCall(IInvocationOperation invocation, StoreKind kind, IOperation? receiver, IOperation? key, IOperation? field, IReadOnlyList<IOperation> values, bool isConditional)
        {
            Invocation = invocation;
            Kind = kind;
            Receiver = receiver;
            Key = key;
            Field = field;
            Values = values;
            IsConditional = isConditional;
        }

        public IInvocationOperation Invocation { get; }

        public StoreKind Kind { get; }

        public IOperation? Receiver { get; }

        public IOperation? Key { get; }

        /// <summary>The Redis hash field; null for whole-key operations.</summary>
        public IOperation? Field { get; }

        /// <summary>Written values (empty for reads).</summary>
        public IReadOnlyList<IOperation> Values { get; }

        /// <summary>A write that only happens under a condition (<c>When.NotExists</c>, an ETag or expected version).</summary>
        public bool IsConditional { get; }

        /// <summary>The method name without an <c>Async</c> suffix.</summary>
        public string Name => StoreCalls.WithoutAsync(Invocation.TargetMethod.Name);

        /// <summary>Same receiver, key and field: compared by symbol and constant value, never by text.</summary>
        public bool SameEntryAs(StoreCall other) =>
            Kind == other.Kind && StoreCalls.Same(Receiver, other.Receiver) && StoreCalls.Same(Key, other.Key) && StoreCalls.Same(Field, other.Field);
    }

    /// <summary>
    /// Recognises reads and writes of shared stores (DR3001, DR6001), looked up once per compilation:
    /// StackExchange.Redis <c>IDatabase</c>/<c>IDatabaseAsync</c>, <c>IDistributedCache</c> and its extensions, and
    /// store types recognised by shape: a <c>Get*</c> and a <c>Put*/Set*/Save*/Update*</c> on a type that also offers a
    /// conditional write (<c>*IfVersion</c>, <c>*IfMatch</c>, <c>CompareAndSwap</c>, <c>TryUpdate</c>, or an
    /// <c>etag</c>/<c>expectedVersion</c>/<c>ifMatch</c> parameter).
    /// </summary>
    internal sealed class StoreCalls
    {
        /// <summary><c>CommandFlags.PreferReplica</c> = 8, <c>DemandReplica</c> = 12 (and the obsolete <c>*Slave</c> names); <c>DemandMaster</c> = 4.</summary>
        private const int ReplicaMask = 12;
        private const int WhenNotExists = 2;

        private static readonly string[] RedisReads =
        {
            "StringGet", "StringGetWithExpiry", "StringLength", "HashGet", "HashGetAll", "HashValues", "HashKeys", "HashLength", "HashExists",
            "KeyExists", "ListRange", "ListGetByIndex", "ListLength", "SetMembers", "SetContains", "SortedSetScore", "SortedSetRangeByRank", "SortedSetRangeByScore",
        };

        private static readonly string[] RedisWrites =
        {
            "StringSet", "HashSet", "StringIncrement", "StringDecrement", "HashIncrement", "HashDecrement", "StringAppend", "StringSetRange",
            "ListLeftPush", "ListRightPush", "ListSetByIndex", "SetAdd", "SortedSetAdd", "SortedSetIncrement",
        };

        private static readonly string[] GenericWritePrefixes = { "Put", "Set", "Save", "Update" };

        /// <summary>Every read's name starts with one of these: Redis <c>StringGet</c>/<c>HashGet</c>, a cache's or a store's <c>Get*</c>.</summary>
        private static readonly string[] ReadPrefixes = { "Get", "StringGet", "HashGet" };
        private static readonly string[] ConditionParameters = { "etag", "expectedVersion", "ifMatch" };

        /// <summary>
        /// The names of every read, write and replica read: read and write prefixes (Redis writes are tested as
        /// prefixes too), and Redis reads with or without <c>Async</c>.
        /// </summary>
        public static readonly CallNames Names = CallNames.Of(
            RedisReads.Concat(RedisReads.Select(name => name + "Async")).ToArray(),
            prefixes: ReadPrefixes.Concat(GenericWritePrefixes).Concat(RedisWrites).ToArray());

        private readonly INamedTypeSymbol? _redis;
        private readonly INamedTypeSymbol? _cache;
        private readonly INamedTypeSymbol? _cacheExtensions;
        private readonly ConcurrentDictionary<ITypeSymbol, bool> _conditionalStores = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ITypeSymbol, bool> _declaresConditionalMethod = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, StoreKind?> _ownerKinds = new(SymbolEqualityComparer.Default);

        private StoreCalls(Compilation compilation)
        {
            _redis = compilation.GetTypeByMetadataName("StackExchange.Redis.IDatabaseAsync");
            _cache = compilation.GetTypeByMetadataName("Microsoft.Extensions.Caching.Distributed.IDistributedCache");
            _cacheExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Caching.Distributed.DistributedCacheExtensions");
        }

        public static StoreCalls Create(Compilation compilation) => new(compilation);

        public bool HasRedis => _redis is not null;

        /// <summary>A value read for read-modify-write: Redis <c>StringGet</c>/<c>HashGet</c> of one key, a cache <c>Get*</c>, a generic store's <c>Get*</c>.</summary>
        public StoreCall? Read(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (!StartsWithAny(method.Name, ReadPrefixes))
            {
                return null; // the cheap test first: most calls are not reads by name
            }

            var name = WithoutAsync(method.Name);
            switch (KindOf(invocation))
            {
                case StoreKind.Redis when name is "StringGet" or "HashGet" && Argument(invocation, "key") is { Type.TypeKind: not TypeKind.Array } key:
                    return new StoreCall(invocation, StoreKind.Redis, invocation.Instance, key, Argument(invocation, "hashField"), Array.Empty<IOperation>(), false);
                case StoreKind.DistributedCache when name is "Get" or "GetString":
                    return new StoreCall(invocation, StoreKind.DistributedCache, Receiver(invocation), Argument(invocation, "key"), null, Array.Empty<IOperation>(), false);
                case StoreKind.Generic when name.StartsWith("Get", StringComparison.Ordinal) && !method.ReturnsVoid && KeyOf(invocation) is { } key:
                    return new StoreCall(invocation, StoreKind.Generic, invocation.Instance, key, null, Array.Empty<IOperation>(), false);
                default:
                    return null;
            }
        }

        /// <summary>A Redis read sent to a replica (<c>CommandFlags.PreferReplica</c>/<c>DemandReplica</c>).</summary>
        public bool IsReplicaRead(IInvocationOperation invocation) =>
            IsOneOf(invocation.TargetMethod.Name, RedisReads)
            && Argument(invocation, "flags") is { ConstantValue: { HasValue: true, Value: int flags } }
            && (flags & ReplicaMask) is 8 or 12
            && KindOf(invocation) == StoreKind.Redis;

        /// <summary>
        /// A write: Redis <c>StringSet</c>/<c>HashSet</c> (and, with <paramref name="anyRedisWrite"/>, increments, appends,
        /// list/set pushes), a cache <c>Set*</c>, a generic store's <c>Put*/Set*/Save*/Update*</c>.
        /// </summary>
        public StoreCall? Write(IInvocationOperation invocation, bool anyRedisWrite)
        {
            var method = invocation.TargetMethod;
            if (!StartsWithAny(method.Name, GenericWritePrefixes) && !StartsWithAny(method.Name, RedisWrites))
            {
                return null; // the cheap test first: most calls are not writes by name
            }

            var name = WithoutAsync(method.Name);
            switch (KindOf(invocation))
            {
                case StoreKind.Redis when (anyRedisWrite ? Array.IndexOf(RedisWrites, name) >= 0 : name is "StringSet" or "HashSet")
                    && Argument(invocation, "key") is { Type.TypeKind: not TypeKind.Array } key && Argument(invocation, "value") is { } value:
                    var notExists = Argument(invocation, "when") is { ConstantValue: { HasValue: true, Value: int when } } && when == WhenNotExists;
                    return new StoreCall(invocation, StoreKind.Redis, invocation.Instance, key, Argument(invocation, "hashField"), new[] { value }, notExists);
                case StoreKind.DistributedCache when name is "Set" or "SetString" && Argument(invocation, "value") is { } cached:
                    return new StoreCall(invocation, StoreKind.DistributedCache, Receiver(invocation), Argument(invocation, "key"), null, new[] { cached }, false);
                case StoreKind.Generic when GenericWritePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) && KeyOf(invocation) is { } key:
                    var values = invocation.Arguments
                        .Where(argument => argument.ArgumentKind == ArgumentKind.Explicit && argument.Value != key && argument.Parameter?.Type.Name != "CancellationToken")
                        .Select(argument => argument.Value).ToArray();
                    return values.Length == 0 ? null : new StoreCall(invocation, StoreKind.Generic, invocation.Instance, key, null, values, IsConditionalMethod(method, invocation));
                default:
                    return null;
            }
        }

        /// <summary>The cheap test that comes first: a read or write by name starts with one of these.</summary>
        private static bool StartsWithAny(string name, string[] prefixes)
        {
            foreach (var prefix in prefixes)
            {
                // The first character settles almost every call, for less than a StartsWith costs.
                if (name.Length >= prefix.Length && name[0] == prefix[0] && name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The name is one of <paramref name="names"/>, with or without <c>Async</c>; allocates nothing.</summary>
        private static bool IsOneOf(string name, string[] names)
        {
            // Lengths first: they rule out almost every candidate without comparing characters.
            var withoutAsync = name.EndsWith("Async", StringComparison.Ordinal) ? name.Length - 5 : -1;
            foreach (var candidate in names)
            {
                if ((candidate.Length == name.Length || candidate.Length == withoutAsync) && name.StartsWith(candidate, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private StoreKind? KindOf(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.ContainingType is { } owner && OwnerKind(owner) is { } kind)
            {
                return kind;
            }

            return !method.IsStatic && invocation.Instance?.Type is { } receiverType && IsConditionalStore(receiverType) ? StoreKind.Generic : null;
        }

        /// <summary>
        /// Redis or a distributed cache by the type declaring the method; cached by definition, as most calls go to a
        /// few types (and the answer is the same for every construction of a generic one, which is slow to compare).
        /// </summary>
        private StoreKind? OwnerKind(INamedTypeSymbol owner)
        {
            var definition = owner.OriginalDefinition;
            return _ownerKinds.TryGetValue(definition, out var kind) ? kind : _ownerKinds.GetOrAdd(definition, ComputeOwnerKind(definition));
        }

        private StoreKind? ComputeOwnerKind(INamedTypeSymbol owner) =>
            _redis is not null && (SameSymbol(owner, _redis) || owner.AllInterfaces.Any(i => SameSymbol(i, _redis))) ? StoreKind.Redis
            : (_cache is not null && SameSymbol(owner, _cache)) || (_cacheExtensions is not null && SameSymbol(owner, _cacheExtensions)) ? StoreKind.DistributedCache
            : null;

        /// <summary>
        /// A store type by shape: outside the framework, with a conditional write among its (inherited) methods. Cached by
        /// definition: the namespace, bases and interfaces read are the same for every construction.
        /// </summary>
        private bool IsConditionalStore(ITypeSymbol type)
        {
            var definition = type.OriginalDefinition;
            return _conditionalStores.TryGetValue(definition, out var known) ? known : _conditionalStores.GetOrAdd(definition, ComputeIsConditionalStore(definition));
        }

        private bool ComputeIsConditionalStore(ITypeSymbol type) =>
            type.ContainingNamespace is { } containing && NamespaceNames.Of(containing) is var ns && !ns.StartsWith("System", StringComparison.Ordinal) && !ns.StartsWith("StackExchange.Redis", StringComparison.Ordinal)
            && SelfAndBases(type).Concat(type.AllInterfaces).Any(DeclaresConditionalMethod);

        /// <summary>
        /// Cached per definition: a store's base classes and interfaces are shared by many types and constructions
        /// (<c>IRepository&lt;Order&gt;</c>, <c>IRepository&lt;Customer&gt;</c>), and the test reads only names.
        /// </summary>
        private bool DeclaresConditionalMethod(ITypeSymbol type)
        {
            var definition = type.OriginalDefinition;
            return _declaresConditionalMethod.TryGetValue(definition, out var known)
                ? known
                : _declaresConditionalMethod.GetOrAdd(definition, definition.GetMembers().OfType<IMethodSymbol>().Any(m => IsConditionalMethod(m, null)));
        }

        /// <summary>The methods a store type offers: its own, its base classes' and its interfaces'.</summary>
        public static IEnumerable<IMethodSymbol> MethodsOf(ITypeSymbol type) =>
            SelfAndBases(type).Concat(type.AllInterfaces).SelectMany(t => t.GetMembers()).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary);

        private static IEnumerable<ITypeSymbol> SelfAndBases(ITypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                yield return current;
            }
        }

        /// <summary>A conditional write by name or parameter; for a call, the condition parameter must be passed.</summary>
        internal static bool IsConditionalMethod(IMethodSymbol method, IInvocationOperation? call)
        {
            var name = WithoutAsync(method.Name);
            if (name.EndsWith("IfVersion", StringComparison.Ordinal) || name.EndsWith("IfMatch", StringComparison.Ordinal) || name is "CompareAndSwap" or "TryUpdate")
            {
                return true;
            }

            return call is null
                ? method.Parameters.Any(IsConditionParameter)
                : call.Arguments.Any(argument => argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter is { } parameter && IsConditionParameter(parameter)
                    && argument.Value.ConstantValue is not { HasValue: true, Value: null });
        }

        private static bool IsConditionParameter(IParameterSymbol parameter) =>
            ConditionParameters.Any(name => string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase));

        private static IOperation? KeyOf(IInvocationOperation invocation) =>
            invocation.Arguments.FirstOrDefault(argument => argument.Parameter?.Ordinal == 0 && argument.ArgumentKind == ArgumentKind.Explicit)?.Value;

        private static IOperation? Receiver(IInvocationOperation invocation) =>
            invocation.TargetMethod.IsExtensionMethod ? Argument(invocation, invocation.TargetMethod.Parameters.FirstOrDefault()?.Name ?? "") : invocation.Instance;

        public static IOperation? Argument(IInvocationOperation invocation, string parameterName)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Name == parameterName && argument.ArgumentKind != ArgumentKind.DefaultValue)
                {
                    return argument.Value;
                }
            }

            return null;
        }

        public static string WithoutAsync(string name) =>
            name.EndsWith("Async", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Async".Length) : name;

        private static bool SameSymbol(ISymbol? a, ISymbol? b) => SymbolEqualityComparer.Default.Equals(a?.OriginalDefinition, b?.OriginalDefinition);

        /// <summary>Two expressions that denote the same receiver or key: same symbols, same constants, same shape.</summary>
        public static bool Same(IOperation? a, IOperation? b)
        {
            a = Stripped(a);
            b = Stripped(b);
            if (a is null || b is null)
            {
                return a is null && b is null;
            }

            if (a.ConstantValue.HasValue || b.ConstantValue.HasValue)
            {
                return a.ConstantValue.HasValue && b.ConstantValue.HasValue && object.Equals(a.ConstantValue.Value, b.ConstantValue.Value);
            }

            return (a, b) switch
            {
                (ILocalReferenceOperation x, ILocalReferenceOperation y) => SameSymbol(x.Local, y.Local),
                (IParameterReferenceOperation x, IParameterReferenceOperation y) => SameSymbol(x.Parameter, y.Parameter),
                (IInstanceReferenceOperation, IInstanceReferenceOperation) => true,
                (IFieldReferenceOperation x, IFieldReferenceOperation y) => SameSymbol(x.Field, y.Field) && Same(x.Instance, y.Instance),
                (IPropertyReferenceOperation x, IPropertyReferenceOperation y) => SameSymbol(x.Property, y.Property) && Same(x.Instance, y.Instance) && SameArguments(x.Arguments, y.Arguments),
                (IInvocationOperation x, IInvocationOperation y) => SameSymbol(x.TargetMethod, y.TargetMethod) && Same(x.Instance, y.Instance) && SameArguments(x.Arguments, y.Arguments),
                (IBinaryOperation x, IBinaryOperation y) => x.OperatorKind == y.OperatorKind && Same(x.LeftOperand, y.LeftOperand) && Same(x.RightOperand, y.RightOperand),
                (IInterpolatedStringOperation x, IInterpolatedStringOperation y) => x.Parts.Length == y.Parts.Length && x.Parts.Zip(y.Parts, SamePart).All(same => same),
                _ => false,
            };
        }

        private static bool SamePart(IInterpolatedStringContentOperation x, IInterpolatedStringContentOperation y) => (x, y) switch
        {
            (IInterpolatedStringTextOperation a, IInterpolatedStringTextOperation b) => Same(a.Text, b.Text),
            (IInterpolationOperation a, IInterpolationOperation b) => Same(a.Expression, b.Expression) && Same(a.Alignment, b.Alignment) && Same(a.FormatString, b.FormatString),
            _ => false,
        };

        private static bool SameArguments(IReadOnlyList<IArgumentOperation> x, IReadOnlyList<IArgumentOperation> y) =>
            x.Count == y.Count && x.Zip(y, (a, b) => SameSymbol(a.Parameter, b.Parameter) && Same(a.Value, b.Value)).All(same => same);

        private static IOperation? Stripped(IOperation? operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        break;
                    case IParenthesizedOperation parenthesized:
                        operation = parenthesized.Operand;
                        break;
                    default:
                        return operation;
                }
            }
        }

        /// <summary>
        /// The calls a value is computed from, in this method: every invocation in the expression, followed through the
        /// locals it reads (what <paramref name="log"/> saw written to them). Fields are not followed: the rules are about
        /// one method's read-modify-write.
        /// </summary>
        public static IEnumerable<IInvocationOperation> Origins(IOperation value, WriteLog log)
        {
            var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var pending = new Stack<IOperation>();
            pending.Push(value);
            while (pending.Count > 0)
            {
                foreach (var operation in pending.Pop().DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation invocation)
                    {
                        yield return invocation;
                    }
                    else if (operation is ILocalReferenceOperation { Local: var local } && seen.Add(local))
                    {
                        foreach (var write in log.WritesTo(local))
                        {
                            if (write is not null)
                            {
                                pending.Push(write);
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// True when the method holding <paramref name="write"/> serialises it: a <c>lock</c> around it, or anywhere in the
        /// method a <c>SemaphoreSlim</c>/<c>Monitor</c> wait, a RedLock.net or Medallion lock, a Redis <c>LockTake</c>, or a
        /// Redis transaction condition (<c>AddCondition</c>).
        /// </summary>
        public static bool IsSerialised(IOperation write)
        {
            var root = write;
            for (var current = write; current is not null; current = current.Parent)
            {
                if (current is ILockOperation)
                {
                    return true;
                }

                root = current;
            }

            return root.DescendantsAndSelf().OfType<IInvocationOperation>().Any(IsLockOrCondition);
        }

        private static bool IsLockOrCondition(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var name = WithoutAsync(method.Name);
            if (name is "Wait" or "Enter" or "TryEnter")
            {
                // The declaring type is formatted only for calls named like a local lock's.
                var type = method.ContainingType?.ToDisplayString() ?? "";
                return (type is "System.Threading.SemaphoreSlim" && name is "Wait")
                    || (type is "System.Threading.Monitor" && name is "Enter" or "TryEnter");
            }

            var ns = NamespaceNames.Of(method.ContainingNamespace);
            return (ns.StartsWith("RedLockNet", StringComparison.Ordinal) && name is "CreateLock")
                || (ns.StartsWith("Medallion.Threading", StringComparison.Ordinal) && name.IndexOf("Acquire", StringComparison.Ordinal) >= 0)
                || (ns.StartsWith("StackExchange.Redis", StringComparison.Ordinal) && name is "LockTake" or "AddCondition");
        }

        /// <summary>The read an expression is, through casts, <c>await</c>, <c>ConfigureAwait</c> and <c>long.Parse</c>/<c>int.Parse</c>.</summary>
        public IInvocationOperation? DirectRead(IOperation? operation)
        {
            while (true)
            {
                switch (Stripped(operation))
                {
                    case IAwaitOperation awaited:
                        operation = awaited.Operation;
                        break;
                    case IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } task }:
                        operation = task;
                        break;
                    case IInvocationOperation { TargetMethod: { Name: "Parse", IsStatic: true, ContainingType.SpecialType: SpecialType.System_Int64 or SpecialType.System_Int32 }, Arguments.Length: > 0 } parse:
                        operation = parse.Arguments[0].Value;
                        break;
                    case IInvocationOperation invocation when Read(invocation) is not null:
                        return invocation;
                    default:
                        return null;
                }
            }
        }

        /// <summary>
        /// DR3001's atomic rewrite: a Redis <c>StringSet(key, x + n)</c>/<c>HashSet(key, field, x - n)</c> whose result is
        /// unused, where <c>x</c> is an integer read of the same entry (inline, or a local read once) and <c>n</c> does not
        /// come from it. The local may be used again after the write, but only in the written value itself (<c>return x + 1;</c>),
        /// which the atomic method's result then replaces. The name of the atomic method (<c>StringIncrement</c>, ...) or null.
        /// </summary>
        public IncrementShape? Increment(StoreCall write)
        {
            var syntax = write.Invocation.Syntax as InvocationExpressionSyntax;
            var explicitArguments = write.Field is null ? 2 : 3;
            if (write.Kind != StoreKind.Redis || write.IsConditional || syntax is null || syntax.ArgumentList.Arguments.Count != explicitArguments
                || syntax.ArgumentList.Arguments.Any(argument => argument.NameColon is not null)
                || !ResultUnused(write.Invocation) || write.Values.Count != 1
                || Stripped(write.Values[0]) is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, IsChecked: false } binary
                || binary.Type?.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64))
            {
                return null;
            }

            var subtract = binary.OperatorKind == BinaryOperatorKind.Subtract;
            var counterFirst = CounterRead(binary.LeftOperand, write);
            var counterSecond = subtract ? null : CounterRead(binary.RightOperand, write);
            if ((counterFirst is null) == (counterSecond is null))
            {
                return null;
            }

            var (counter, delta) = counterFirst is { } first ? (first, binary.RightOperand) : (counterSecond!.Value, binary.LeftOperand);
            if (Stripped(delta) is not { Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_Byte } deltaValue
                || deltaValue.DescendantsAndSelf().Any(o => o is IInvocationOperation || (o is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, counter.Local))))
            {
                return null;
            }

            var reuses = ImmutableArray<SyntaxNode>.Empty;
            if (counter.Local is { } local && counter.Declaration is { } declaration)
            {
                var others = declaration.Parent!.DescendantNodes().OfType<IdentifierNameSyntax>()
                    .Where(name => name.Identifier.ValueText == local.Name && !binary.Syntax.Span.Contains(name.Span))
                    .ToList();
                if (others.Count > 0)
                {
                    // Only the written value again, later, and as the long the atomic method returns.
                    var statement = syntax.FirstAncestorOrSelf<StatementSyntax>();
                    var written = binary.Syntax;
                    if (statement is null || binary.Type?.SpecialType != SpecialType.System_Int64 || deltaValue.ConstantValue is not { HasValue: true }
                        || others.Any(name => name.Parent is not BinaryExpressionSyntax again || !SyntaxFactory.AreEquivalent(again, written) || again.SpanStart < statement.Span.End))
                    {
                        return null;
                    }

                    reuses = others.Select(name => (SyntaxNode)name.Parent!).ToImmutableArray();
                }
            }

            var method = (write.Field is null ? "String" : "Hash") + (subtract ? "Decrement" : "Increment");
            return new IncrementShape(method, deltaValue.Syntax, counter.Declaration, reuses);
        }

        /// <summary>An integer read of the written entry, inline or through a local that is declared from it.</summary>
        private (ILocalSymbol? Local, LocalDeclarationStatementSyntax? Declaration)? CounterRead(IOperation operand, StoreCall write)
        {
            if (Stripped(operand) is ILocalReferenceOperation { Local: var local } reference)
            {
                if (local.DeclaringSyntaxReferences.Length != 1
                    || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator
                    || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 } statement }
                    || reference.SemanticModel is not { } model
                    || model.GetOperation(initializer) is not { } initialValue
                    || !IsSameEntryRead(initialValue, write)
                    || statement.Parent is null)
                {
                    return null;
                }

                return (local, statement);
            }

            return IsSameEntryRead(operand, write) ? (null, null) : null;
        }

        private bool IsSameEntryRead(IOperation operation, StoreCall write) =>
            DirectRead(operation) is { } read && Read(read) is { } storeRead && storeRead.SameEntryAs(write)
            && !read.Arguments.Any(argument => argument.Parameter?.Name == "flags" && argument.ArgumentKind != ArgumentKind.DefaultValue && argument.Value.ConstantValue is not { HasValue: true });

        private static bool ResultUnused(IInvocationOperation invocation) =>
            invocation.Parent is IExpressionStatementOperation
            || (invocation.Parent is IAwaitOperation { Parent: IExpressionStatementOperation })
            || (invocation.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Parent: IAwaitOperation { Parent: IExpressionStatementOperation } });
    }

    /// <summary>
    /// The atomic method to call, the delta to pass, the declaration of the read to remove (when the read is in a local),
    /// and the later copies of the written value that the method's result replaces.
    /// </summary>
    internal sealed class IncrementShape
    {
        public IncrementShape(string method, SyntaxNode delta, LocalDeclarationStatementSyntax? readDeclaration, ImmutableArray<SyntaxNode> reuses)
        {
            Reuses = reuses;
            Method = method;
            Delta = delta;
            ReadDeclaration = readDeclaration;
        }

        public string Method { get; }

        public SyntaxNode Delta { get; }

        public LocalDeclarationStatementSyntax? ReadDeclaration { get; }

        public ImmutableArray<SyntaxNode> Reuses { get; }
    }
}
