using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Benchmarks;

/// <summary>
/// <c>--reference</c>: the smallest rule that looks at every call, written the way the framework's own analyzers are
/// (the type looked up once per compilation; on each invocation, the method's name, then its declaring type): it flags
/// <c>Thread.Sleep</c>. Its share of bind time is a yardstick for ours: what one rule costs that must see every call
/// and does almost nothing with it. Its findings are counted, not reported.
/// </summary>
public sealed class ReferenceRule : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Descriptor = new("REF0001", "Reference", "Reference", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    private int _found;

    public int Found => _found;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName("System.Threading.Thread") is not { } thread)
            {
                return;
            }

            start.RegisterOperationAction(
                operationContext =>
                {
                    var method = ((IInvocationOperation)operationContext.Operation).TargetMethod;
                    if (method.Name == "Sleep" && SymbolEqualityComparer.Default.Equals(method.ContainingType, thread))
                    {
                        Interlocked.Increment(ref _found);
                    }
                },
                OperationKind.Invocation);
        });
    }
}
