using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using DistributedReview.Timing;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Tests.Catalog;

/// <summary>Every analyzer and code fix the package ships, found by reflection as a host finds them.</summary>
public static class Discovered
{
    /// <summary>The analyzer assembly and the code-fix assembly.</summary>
    public static ImmutableArray<Assembly> Assemblies { get; } = ImmutableArray.Create(
        typeof(RuleIds).Assembly,
        typeof(WallClockIntervalCodeFix).Assembly);

    public static ImmutableArray<Type> AnalyzerTypes { get; } = TypesWith<DiagnosticAnalyzer, DiagnosticAnalyzerAttribute>();

    public static ImmutableArray<Type> CodeFixTypes { get; } = TypesWith<CodeFixProvider, ExportCodeFixProviderAttribute>();

    /// <summary>Fresh instances of every analyzer, to run together.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers() =>
        AnalyzerTypes.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> CreateCodeFixes() =>
        CodeFixTypes.Select(t => (CodeFixProvider)Activator.CreateInstance(t)!).ToImmutableArray();

    /// <summary>Each analyzer type with the IDs it supports.</summary>
    public static IReadOnlyList<(Type Analyzer, ImmutableArray<Microsoft.CodeAnalysis.DiagnosticDescriptor> Descriptors)> SupportedDiagnostics() =>
        AnalyzerTypes.Select(t => (t, ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)).ToList();

    private static ImmutableArray<Type> TypesWith<TBase, TAttribute>()
        where TAttribute : Attribute =>
        Assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => !t.IsAbstract && typeof(TBase).IsAssignableFrom(t) && t.GetCustomAttribute<TAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToImmutableArray();
}
