using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview
{
    /// <summary>The time types the timing rules recognise, looked up once per compilation by metadata name.</summary>
    internal sealed class ClockSymbols
    {
        private static readonly string[] WallClockReadNames = { "Now" };

        private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _clockInterfaces = new(SymbolEqualityComparer.Default);

        private ClockSymbols(INamedTypeSymbol dateTime, INamedTypeSymbol dateTimeOffset, INamedTypeSymbol? timeProvider)
        {
            DateTime = dateTime;
            DateTimeOffset = dateTimeOffset;
            TimeProvider = timeProvider;
        }

        public INamedTypeSymbol DateTime { get; }

        public INamedTypeSymbol DateTimeOffset { get; }

        /// <summary><c>System.TimeProvider</c>: .NET 8+, or the Microsoft.Bcl.TimeProvider package.</summary>
        public INamedTypeSymbol? TimeProvider { get; }

        public static ClockSymbols? Create(Compilation compilation)
        {
            var dateTime = compilation.GetSpecialType(SpecialType.System_DateTime);
            var dateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
            if (dateTime.TypeKind == TypeKind.Error || dateTimeOffset is null)
            {
                return null;
            }

            return new ClockSymbols(dateTime, dateTimeOffset, compilation.GetTypeByMetadataName("System.TimeProvider"));
        }

        /// <summary>True for DateTime and DateTimeOffset: the types a wall-clock read produces.</summary>
        public bool IsInstantType(ITypeSymbol? type) =>
            SymbolEqualityComparer.Default.Equals(type, DateTime) || SymbolEqualityComparer.Default.Equals(type, DateTimeOffset);

        /// <summary><c>DateTime.Subtract(DateTime)</c> or <c>DateTimeOffset.Subtract(DateTimeOffset)</c>: the instance method giving an interval.</summary>
        public bool IsInstantSubtraction(IMethodSymbol method) =>
            method is { Name: "Subtract", IsStatic: false, Parameters.Length: 1 } && IsInstantType(method.ContainingType) && IsInstantType(method.Parameters[0].Type);

        /// <summary>The calls and operators that can subtract instants, for the rules' filtered actions.</summary>
        public static readonly CallNames SubtractCalls = CallNames.Exactly("Subtract");

        public static readonly BinaryOperators Subtractions = BinaryOperators.Of(BinaryOperatorKind.Subtract);

        /// <summary><c>a - b</c> or <c>a.Subtract(b)</c> of two instants: an interval.</summary>
        public bool IsInstantSubtraction(IOperation operation) => operation switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract, OperatorMethod: { Parameters.Length: 2 } method } =>
                IsInstantType(method.ContainingType) && IsInstantType(method.Parameters[1].Type),
            IInvocationOperation { Arguments.Length: 1 } invocation => IsInstantSubtraction(invocation.TargetMethod),
            _ => false,
        };

        /// <summary>
        /// <c>DateTime.UtcNow/Now</c>, <c>DateTimeOffset.UtcNow/Now</c>, <c>TimeProvider.GetUtcNow()/GetLocalNow()</c>,
        /// looking through implicit conversions (a DateTime read stored as DateTimeOffset is still a read).
        /// </summary>
        public bool IsWallClockRead(IOperation? operation)
        {
            switch (WalkDownImplicitConversions(operation))
            {
                case IPropertyReferenceOperation { Property: { IsStatic: true, Name: "UtcNow" or "Now" } property }:
                    return IsInstantType(property.ContainingType);
                case IInvocationOperation { TargetMethod: { Name: "GetUtcNow" or "GetLocalNow", Parameters.Length: 0 } method }:
                    return TimeProvider is not null && DerivesFrom(method.ContainingType, TimeProvider);
                default:
                    return false;
            }
        }

        /// <summary>
        /// False when no declaration of the type contains "Now": then it reads no wall clock (<c>UtcNow</c>, <c>Now</c>,
        /// <c>GetUtcNow()</c> and <c>GetLocalNow()</c> all spell it, also through <c>using static</c> or an alias).
        /// </summary>
        public bool MayReadWallClock(INamedTypeSymbol type, CancellationToken cancellationToken) =>
            SourceMentions.Any(type, WallClockReadNames, cancellationToken);

        /// <summary>
        /// A type that implements a clock abstraction: derives from TimeProvider or implements an interface with a
        /// <c>UtcNow</c>/<c>Now</c>/<c>GetUtcNow</c> member. Reading the wall clock is its job.
        /// </summary>
        public bool IsClockImplementation(INamedTypeSymbol type) =>
            (TimeProvider is not null && DerivesFrom(type, TimeProvider))
            || type.AllInterfaces.Any(IsClockInterface);

        /// <summary>Cached per interface: every type of the compilation asks, and most implement the same few interfaces.</summary>
        private bool IsClockInterface(INamedTypeSymbol candidate) => _clockInterfaces.GetOrAdd(
            candidate,
            static i => i.GetMembers().Any(m => m.Name is "UtcNow" or "Now" or "GetUtcNow" or "GetNow"));

        public static IOperation? WalkDownImplicitConversions(IOperation? operation)
        {
            while (operation is IConversionOperation { IsImplicit: true } conversion)
            {
                operation = conversion.Operand;
            }

            while (operation is IParenthesizedOperation parenthesized)
            {
                operation = parenthesized.Operand;
            }

            return operation;
        }

        private static bool DerivesFrom(INamedTypeSymbol? type, INamedTypeSymbol baseType)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, baseType))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
