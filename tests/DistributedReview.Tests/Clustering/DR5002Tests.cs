using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using DistributedReview.Clustering;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Clustering.OrleansDevelopmentClusteringAnalyzer>;

namespace DistributedReview.Tests.Clustering;

/// <summary>DR5002: Orleans development clustering outside a development guard.</summary>
public class DR5002Tests
{
    private static readonly TestOptions WithOrleans = new() { AdditionalSources = ImmutableArray.Create(StandIns.Orleans.Source) };
    private static readonly TestOptions Executable = WithOrleans with { OutputKind = OutputKind.ConsoleApplication };

    // ---- Reported ------------------------------------------------------------------------------------

    [Fact]
    public Task Top_level_program_with_localhost_clustering() => VerifyAnalyzer.AnalyzerAsync("""
        using Microsoft.Extensions.Hosting;
        using Orleans.Hosting;

        using var host = Host.CreateDefaultBuilder(args)
            .UseOrleans(silo => silo.[|UseLocalhostClustering()|])
            .Build();
        """, Executable);

    [Fact]
    public Task Silo_and_client_calls_in_methods_lambdas_and_async_code() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Net;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Hosting;
        using Orleans;
        using Orleans.Hosting;

        public static class Program
        {
            public static async Task Main(string[] args)
            {
                using var host = Host.CreateDefaultBuilder(args)
                    .UseOrleans((context, silo) =>
                    {
                        silo.[|UseDevelopmentClustering(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 11111))|];
                    })
                    .Build();
                await Task.Yield();
            }
        }

        public static class FrontEnd
        {
            public static IHostBuilder AddOrleansClient(this IHostBuilder builder) =>
                builder.UseOrleansClient((context, client) => client.[|UseLocalhostClustering(gatewayPort: 30000)|]);

            public static ISiloBuilder Configure(ISiloBuilder silo) => CoreHostingExtensions.[|UseLocalhostClustering(silo)|];

            public static ISiloBuilder ConfigureMembership(ISiloBuilder silo) =>
                silo.[|UseDevelopmentClustering(options => options.PrimarySiloEndpoint = new IPEndPoint(IPAddress.Loopback, 11111))|];
        }
        """, Executable);

    [Fact]
    public Task Wrong_side_of_an_environment_check_is_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using Microsoft.Extensions.Hosting;
        using Orleans.Hosting;

        static class Membership
        {
            public static void Configure(HostBuilderContext context, ISiloBuilder silo)
            {
                if (context.HostingEnvironment.IsProduction())
                {
                    silo.[|UseLocalhostClustering()|];
                }

                if (context.HostingEnvironment.IsDevelopment())
                {
                    silo.UseLocalhostClustering();
                }
                else
                {
                    silo.[|UseLocalhostClustering(siloPort: 11112)|];
                }
            }
        }
        """, WithOrleans);

    [Fact]
    public Task Configuration_switch_is_reported_with_lower_confidence() => VerifyConfidenceAsync("""
        using Microsoft.Extensions.Hosting;
        using Orleans.Hosting;

        static class Membership
        {
            public static void Configure(ISiloBuilder silo, string? connectionString)
            {
                if (connectionString is null)
                {
                    silo.UseLocalhostClustering();
                }
                else
                {
                    silo.UseAdoNetClustering(options => options.ConnectionString = connectionString);
                }
            }
        }
        """, WithOrleans, 60);

    [Fact]
    public Task Library_helper_is_reported_at_80() => VerifyConfidenceAsync("""
        using Orleans.Hosting;

        public static class SiloSetup
        {
            public static ISiloBuilder UseClustering(this ISiloBuilder silo) => silo.UseLocalhostClustering();
        }
        """, WithOrleans, 80);

    [Fact]
    public Task Executable_is_reported_at_90_with_the_call_quoted() => VerifyConfidenceAsync("""
        using Microsoft.Extensions.Hosting;
        using Orleans.Hosting;

        using var host = Host.CreateDefaultBuilder(args).UseOrleans(silo => silo.UseLocalhostClustering()).Build();
        """, Executable, 90, "'UseLocalhostClustering()' uses development clustering outside a development guard, which has no real membership and makes one silo the cluster's single point of failure; configure a production membership provider (confidence 90%)");

    [Fact]
    public Task Min_confidence_drops_guess_under_a_switch() => VerifyAnalyzer.AnalyzerAsync("""
        using Orleans.Hosting;

        static class Membership
        {
            public static void Configure(ISiloBuilder silo, bool single)
            {
                if (single)
                {
                    silo.UseLocalhostClustering();
                }

                silo.[|UseLocalhostClustering()|];
            }
        }
        """, WithOrleans with { EditorConfig = "distributed_review.min_confidence = 70" });

    // ---- Left alone ----------------------------------------------------------------------------------

    [Fact]
    public Task Environment_checks_guard_the_call() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using Microsoft.Extensions.Hosting;
        using Orleans.Hosting;

        static class Membership
        {
            public static void WithIf(HostBuilderContext context, ISiloBuilder silo)
            {
                if (context.HostingEnvironment.IsDevelopment())
                {
                    silo.UseLocalhostClustering();
                }
            }

            public static void WithIsEnvironment(IHostEnvironment env, ISiloBuilder silo)
            {
                if (env.IsEnvironment("Development") && silo is not null)
                    silo.UseLocalhostClustering();
            }

            public static ISiloBuilder WithTernary(IHostEnvironment env, ISiloBuilder silo) =>
                env.IsDevelopment()
                    ? silo.UseLocalhostClustering()
                    : silo.UseAdoNetClustering(options => options.Invariant = "Npgsql");

            public static void WithElseOfProduction(IHostEnvironment env, ISiloBuilder silo)
            {
                if (env.IsProduction())
                {
                    silo.UseAdoNetClustering(options => options.Invariant = "Npgsql");
                }
                else
                {
                    silo.UseLocalhostClustering();
                }
            }

            public static void WithEarlyReturn(IHostEnvironment env, ISiloBuilder silo)
            {
                if (!env.IsDevelopment())
                {
                    throw new InvalidOperationException("Configure a membership table.");
                }

                silo.UseLocalhostClustering();
            }

            public static void WithEnvironmentName(IHostEnvironment env, ISiloBuilder silo)
            {
                if (env.EnvironmentName == Environments.Development) silo.UseLocalhostClustering();
                if (string.Equals(env.EnvironmentName, "Development", StringComparison.OrdinalIgnoreCase)) silo.UseLocalhostClustering();
                if (env.EnvironmentName != "Production") silo.UseLocalhostClustering();
                if (env.EnvironmentName is "Development") silo.UseLocalhostClustering();
            }

            public static void WithSwitch(IHostEnvironment env, ISiloBuilder silo)
            {
                switch (env.EnvironmentName)
                {
                    case "Development":
                        silo.UseLocalhostClustering();
                        break;
                    default:
                        silo.UseAdoNetClustering(options => options.Invariant = "Npgsql");
                        break;
                }
            }

            public static void WithFlag(IHostEnvironment env, ISiloBuilder silo)
            {
                var isDevelopment = env.IsDevelopment();
                if (isDevelopment)
                {
                    silo.UseLocalhostClustering();
                }
            }
        }
        """, WithOrleans);

    [Fact]
    public Task Lambda_inside_a_development_check_is_guarded() => VerifyAnalyzer.AnalyzerAsync("""
        using Microsoft.Extensions.Hosting;
        using Orleans.Hosting;

        var builder = Host.CreateDefaultBuilder(args);
        builder.UseOrleans((context, silo) =>
        {
            if (context.HostingEnvironment.IsDevelopment())
            {
                silo.UseLocalhostClustering();
            }
            else
            {
                silo.UseAdoNetClustering(options => options.Invariant = "Npgsql");
            }
        });
        """, Executable);

    [Fact]
    public async Task Debug_only_code_is_guarded()
    {
        // The harness defines no preprocessor symbols: compile this one as a Debug build does.
        var document = TestWorkspace.CreateDocument("""
            using System.Diagnostics;
            using Orleans.Hosting;

            static class Membership
            {
                public static void Configure(ISiloBuilder silo)
                {
            #if DEBUG
                    silo.UseLocalhostClustering();
            #else
                    silo.UseAdoNetClustering(options => options.Invariant = "Npgsql");
            #endif
                }

                public static void ConfigureUnlessRelease(ISiloBuilder silo)
                {
            #if RELEASE
                    silo.UseAdoNetClustering(options => options.Invariant = "Npgsql");
            #elif !DEBUG
                    silo.UseAdoNetClustering(options => options.Invariant = "Npgsql");
            #else
                    silo.UseLocalhostClustering();
            #endif
                }

                [Conditional("DEBUG")]
                public static void ConfigureForDebugging(ISiloBuilder silo) => silo.UseLocalhostClustering();

                public static void ConfigureAlways(ISiloBuilder silo) => silo.UseLocalhostClustering();
            }
            """, WithOrleans);
        var project = document.Project.WithParseOptions(((CSharpParseOptions)document.Project.ParseOptions!).WithPreprocessorSymbols("DEBUG"));
        await VerifyAnalyzer.AssertCompilesAsync(project.GetDocument(document.Id)!, "Test input");

        var diagnostics = await Analysis.RunAsync(project, ImmutableArray.Create<DiagnosticAnalyzer>(new OrleansDevelopmentClusteringAnalyzer()));

        // Only the unguarded call, on the last line of the class.
        var diagnostic = Assert.Single(diagnostics, d => d.Id == RuleIds.OrleansDevelopmentClustering);
        Assert.Equal(28, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public Task Members_named_for_development_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using Orleans.Hosting;

        static class DevelopmentSilo
        {
            public static ISiloBuilder Configure(ISiloBuilder silo) => silo.UseLocalhostClustering();
        }

        static class Membership
        {
            public static ISiloBuilder ConfigureLocalCluster(ISiloBuilder silo) => silo.UseLocalhostClustering();

            public static ISiloBuilder ForTests(ISiloBuilder silo) => silo.UseLocalhostClustering();

            public static ISiloBuilder Configure(ISiloBuilder silo)
            {
                return UseDevClustering(silo);

                static ISiloBuilder UseDevClustering(ISiloBuilder s) => s.UseLocalhostClustering();
            }
        }
        """, WithOrleans);

    [Fact]
    public Task Production_providers_and_look_alikes_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using Orleans.Hosting;

        namespace MyCompany.Hosting
        {
            public static class SiloExtensions
            {
                public static ISiloBuilder UseLocalhostClustering(this ISiloBuilder silo, string name) => silo;
            }

            static class Membership
            {
                public static ISiloBuilder Configure(ISiloBuilder silo) =>
                    silo.UseAdoNetClustering(options => options.Invariant = "Npgsql").UseLocalhostClustering("not Orleans");
            }
        }
        """, WithOrleans);

    [Fact]
    public Task Test_project_referencing_a_test_framework_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using Orleans.Hosting;

        namespace Xunit
        {
            public sealed class FactAttribute : System.Attribute { }
        }

        public class SiloTests
        {
            [Xunit.Fact]
            public void Starts() => Configure(null!);

            private static ISiloBuilder Configure(ISiloBuilder silo) => silo.UseLocalhostClustering();
        }
        """, WithOrleans);

    [Theory]
    [InlineData("Orders.Silo.Tests", 0)]
    [InlineData("Orders.IntegrationTest", 0)]
    [InlineData("Orders.Silo", 1)]
    public async Task Test_assembly_names_are_left_alone(string assemblyName, int expected)
    {
        var document = TestWorkspace.CreateDocument("""
            using Orleans.Hosting;

            public static class SiloSetup
            {
                public static ISiloBuilder Configure(ISiloBuilder silo) => silo.UseLocalhostClustering();
            }
            """, WithOrleans);
        var project = document.Project.WithAssemblyName(assemblyName);

        var diagnostics = await Analysis.RunAsync(project, ImmutableArray.Create<DiagnosticAnalyzer>(new OrleansDevelopmentClusteringAnalyzer()));

        Assert.Equal(expected, diagnostics.Count(d => d.Id == RuleIds.OrleansDevelopmentClustering));
    }

    [Fact]
    public Task Without_Orleans_nothing_is_reported() => VerifyAnalyzer.AnalyzerAsync("""
        namespace Orleans.Hosting
        {
            public interface ISiloBuilder { }

            public static class SiloBuilderExtensions
            {
                public static ISiloBuilder UseLocalhostClustering(this ISiloBuilder silo) => silo;
            }

            static class Membership
            {
                static ISiloBuilder Configure(ISiloBuilder silo) => silo.UseLocalhostClustering();
            }
        }
        """);

    [Fact]
    public async Task Half_typed_code_does_not_break_the_analyzer()
    {
        const string source = """
            using Microsoft.Extensions.Hosting;
            using Orleans.Hosting;

            static class Membership
            {
                public static void Configure(HostBuilderContext context, ISiloBuilder silo, bool single)
                {
            #if DEBUG
                    silo.UseLocalhostClustering();
            #elif RELEASE
                    silo.UseDevelopmentClustering(options => { });
            #endif
                    if (!context.HostingEnvironment.IsDevelopment() && single) return;
                    switch (context.HostingEnvironment.EnvironmentName) { case "Development": silo.UseLocalhostClustering(); break; }
                    _ = context.HostingEnvironment.IsProduction() ? silo : silo.UseLocalhostClustering(siloPort: 1);
                }
            }
            """;
        var random = new System.Random(5002);
        var tokens = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        var variants = Enumerable.Range(1, 40).Select(i => source.Substring(0, source.Length * i / 41))
            .Concat(Enumerable.Range(0, 40).Select(_ => tokens[random.Next(tokens.Count)]).Select(t => source.Remove(t.SpanStart, t.Span.Length)))
            .ToList();
        foreach (var variant in variants)
        {
            await VerifyAnalyzer.DiagnosticsAsync(TestWorkspace.CreateDocument(variant, WithOrleans));
        }

        Assert.Equal(80, variants.Count);
    }

    private static async Task VerifyConfidenceAsync(string source, TestOptions options, int expected, string? message = null)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        var diagnostic = Assert.Single(await VerifyAnalyzer.DiagnosticsAsync(document));

        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), diagnostic.Properties["Confidence"]);
        Assert.EndsWith($"(confidence {expected}%)", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        if (message is not null)
        {
            Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        }
    }
}
