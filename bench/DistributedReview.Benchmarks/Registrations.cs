using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Benchmarks;

/// <summary>
/// What an analyzer subscribes to, found by running its <c>Initialize</c>, its compilation-start actions (on the
/// benchmark compilation) and its symbol-start actions (on every type of that compilation) against recording
/// contexts. Nothing here is typed in by hand, so the floor follows the analyzers as they change.
/// </summary>
public sealed class Registrations
{
    public HashSet<OperationKind> CompilationOperationKinds { get; } = new();

    public HashSet<int> CompilationSyntaxKinds { get; } = new();

    public HashSet<SymbolKind> SymbolStartKinds { get; } = new();

    public HashSet<SymbolKind> SymbolKinds { get; } = new();

    /// <summary>Union over all types of the operation kinds registered inside symbol-start actions.</summary>
    public HashSet<OperationKind> SymbolStartOperationKinds { get; } = new();

    public HashSet<int> SymbolStartSyntaxKinds { get; } = new();

    public bool SymbolStartOperationBlock { get; set; }

    public bool SymbolStartOperationBlockStart { get; set; }

    public bool SymbolEnd { get; set; }

    public bool CompilationOperationBlock { get; set; }

    public bool CompilationEnd { get; set; }

    public bool SemanticModel { get; set; }

    public bool SyntaxTree { get; set; }

    public bool AdditionalFile { get; set; }

    /// <summary>Types whose symbol-start action registered something, out of all types visited.</summary>
    public int TypesSubscribed { get; set; }

    public int TypesVisited { get; set; }

    public static Registrations Discover(DiagnosticAnalyzer analyzer, Compilation compilation, AnalyzerOptions options)
    {
        var registrations = new Registrations();
        var root = new RecordingAnalysisContext(registrations);
        analyzer.Initialize(root);
        var symbolStarts = new List<(Action<SymbolStartAnalysisContext> Action, SymbolKind Kind)>();
        foreach (var start in root.CompilationStartActions)
        {
            var context = new RecordingCompilationStartContext(registrations, compilation, options, symbolStarts);
            start(context);
        }

        var types = AllTypes(compilation.Assembly.GlobalNamespace).ToList();
        foreach (var (action, kind) in symbolStarts)
        {
            if (kind != SymbolKind.NamedType)
            {
                continue;
            }

            foreach (var type in types)
            {
                registrations.TypesVisited++;
                var context = new RecordingSymbolStartContext(registrations, type, compilation, options);
                action(context);
                if (context.RegisteredAnything)
                {
                    registrations.TypesSubscribed++;
                }
            }
        }

        return registrations;
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns)
    {
        foreach (var type in ns.GetTypeMembers())
        {
            foreach (var nested in WithNested(type))
            {
                yield return nested;
            }
        }

        foreach (var child in ns.GetNamespaceMembers())
        {
            foreach (var type in AllTypes(child))
            {
                yield return type;
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> WithNested(INamedTypeSymbol type)
    {
        yield return type;
        foreach (var nested in type.GetTypeMembers().SelectMany(WithNested))
        {
            yield return nested;
        }
    }

    /// <summary>A short description, for the report: what the floor for this analyzer subscribes to.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (CompilationOperationKinds.Count > 0)
        {
            parts.Add("operations " + string.Join("/", CompilationOperationKinds.OrderBy(k => k.ToString()).Select(k => k.ToString())));
        }

        if (CompilationSyntaxKinds.Count > 0)
        {
            parts.Add($"{CompilationSyntaxKinds.Count} syntax kinds");
        }

        if (SymbolKinds.Count > 0)
        {
            parts.Add("symbols " + string.Join("/", SymbolKinds));
        }

        if (SymbolStartKinds.Count > 0)
        {
            var inner = new List<string>();
            if (SymbolStartOperationKinds.Count > 0)
            {
                inner.Add($"{SymbolStartOperationKinds.Count} operation kinds");
            }

            if (SymbolStartOperationBlock)
            {
                inner.Add("operation blocks");
            }

            if (SymbolEnd)
            {
                inner.Add("end");
            }

            parts.Add($"per type ({TypesSubscribed}/{TypesVisited} types): {string.Join(", ", inner)}");
        }

        if (AdditionalFile)
        {
            parts.Add("additional files");
        }

        return string.Join("; ", parts);
    }

    private sealed class RecordingAnalysisContext : AnalysisContext
    {
        private readonly Registrations _r;

        public RecordingAnalysisContext(Registrations registrations) => _r = registrations;

        public List<Action<CompilationStartAnalysisContext>> CompilationStartActions { get; } = new();

        public override void EnableConcurrentExecution() { }

        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) { }

        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action) => CompilationStartActions.Add(action);

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => _r.CompilationEnd = true;

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _r.SemanticModel = true;

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _r.SymbolKinds.UnionWith(symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) =>
            throw new NotSupportedException("Symbol-start actions outside compilation start are not recorded.");

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("Code-block actions are not recorded.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) =>
            throw new NotSupportedException("Code-block actions are not recorded.");

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _r.SyntaxTree = true;

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _r.AdditionalFile = true;

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _r.CompilationSyntaxKinds.UnionWith(syntaxKinds.Select(k => Convert.ToInt32(k)));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _r.CompilationOperationKinds.UnionWith(operationKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            throw new NotSupportedException("Operation-block-start actions are not recorded.");

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _r.CompilationOperationBlock = true;
    }

    private sealed class RecordingCompilationStartContext : CompilationStartAnalysisContext
    {
        private readonly Registrations _r;
        private readonly List<(Action<SymbolStartAnalysisContext>, SymbolKind)> _symbolStarts;

        public RecordingCompilationStartContext(Registrations registrations, Compilation compilation, AnalyzerOptions options, List<(Action<SymbolStartAnalysisContext>, SymbolKind)> symbolStarts)
            : base(compilation, options, CancellationToken.None)
        {
            _r = registrations;
            _symbolStarts = symbolStarts;
        }

        public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => _r.CompilationEnd = true;

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _r.SemanticModel = true;

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _r.SymbolKinds.UnionWith(symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind)
        {
            _r.SymbolStartKinds.Add(symbolKind);
            _symbolStarts.Add((action, symbolKind));
        }

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("Code-block actions are not recorded.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) =>
            throw new NotSupportedException("Code-block actions are not recorded.");

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _r.SyntaxTree = true;

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _r.AdditionalFile = true;

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _r.CompilationSyntaxKinds.UnionWith(syntaxKinds.Select(k => Convert.ToInt32(k)));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _r.CompilationOperationKinds.UnionWith(operationKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            throw new NotSupportedException("Operation-block-start actions are not recorded.");

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _r.CompilationOperationBlock = true;
    }

    private sealed class RecordingSymbolStartContext : SymbolStartAnalysisContext
    {
        private readonly Registrations _r;

        public RecordingSymbolStartContext(Registrations registrations, ISymbol symbol, Compilation compilation, AnalyzerOptions options)
            : base(symbol, compilation, options, CancellationToken.None) => _r = registrations;

        public bool RegisteredAnything { get; private set; }

        public override void RegisterSymbolEndAction(Action<SymbolAnalysisContext> action)
        {
            RegisteredAnything = true;
            _r.SymbolEnd = true;
        }

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("Code-block actions are not recorded.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) =>
            throw new NotSupportedException("Code-block actions are not recorded.");

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds)
        {
            RegisteredAnything = true;
            _r.SymbolStartSyntaxKinds.UnionWith(syntaxKinds.Select(k => Convert.ToInt32(k)));
        }

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            throw new NotSupportedException("Operation-block-start actions are not recorded.");

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action)
        {
            RegisteredAnything = true;
            _r.SymbolStartOperationBlock = true;
        }

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds)
        {
            RegisteredAnything = true;
            _r.SymbolStartOperationKinds.UnionWith(operationKinds);
        }
    }
}

/// <summary>
/// The floor: an analyzer that subscribes to exactly what one of ours subscribes to (see <see cref="Registrations"/>)
/// and does nothing in its callbacks. Its execution time is what the driver charges for calling into an analyzer
/// that often; ours / floor is the work our callbacks add on top.
/// </summary>
public sealed class FloorAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Descriptor = new("FLOOR", "Floor", "Floor", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    private readonly Registrations _r;

    private readonly ImmutableArray<OperationKind> _operationKinds;
    private readonly ImmutableArray<OperationKind> _typeOperationKinds;

    public FloorAnalyzer(string mirrors, Registrations registrations)
    {
        Mirrors = mirrors;
        _r = registrations;
        _operationKinds = registrations.CompilationOperationKinds.ToImmutableArray();
        _typeOperationKinds = registrations.SymbolStartOperationKinds.ToImmutableArray();
    }

    public string Mirrors { get; }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        if (_r.AdditionalFile)
        {
            context.RegisterAdditionalFileAction(static _ => { });
        }

        context.RegisterCompilationStartAction(start =>
        {
            if (_r.CompilationOperationKinds.Count > 0)
            {
                start.RegisterOperationAction(static _ => { }, _operationKinds);
            }

            if (_r.CompilationOperationBlock)
            {
                start.RegisterOperationBlockAction(static _ => { });
            }

            if (_r.SymbolKinds.Count > 0)
            {
                start.RegisterSymbolAction(static _ => { }, _r.SymbolKinds.ToImmutableArray());
            }

            foreach (var kind in _r.SymbolStartKinds)
            {
                start.RegisterSymbolStartAction(
                    typeStart =>
                    {
                        if (_r.SymbolStartOperationKinds.Count > 0)
                        {
                            typeStart.RegisterOperationAction(static _ => { }, _typeOperationKinds);
                        }

                        if (_r.SymbolStartOperationBlock)
                        {
                            typeStart.RegisterOperationBlockAction(static _ => { });
                        }

                        if (_r.SymbolEnd)
                        {
                            typeStart.RegisterSymbolEndAction(static _ => { });
                        }
                    },
                    kind);
            }

            if (_r.CompilationEnd)
            {
                start.RegisterCompilationEndAction(static _ => { });
            }
        });
    }
}
