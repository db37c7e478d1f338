using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Clustering;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Clustering.AkkaAutoDowningAnalyzer>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Clustering.AkkaAutoDowningAnalyzer, DistributedReview.Clustering.AkkaAutoDowningCodeFix>;

namespace DistributedReview.Tests.Clustering;

/// <summary>DR5001: Akka.NET auto-downing in HOCON passed to ConfigurationFactory.ParseString or in *.hocon/*.conf files.</summary>
public class DR5001Tests
{
    private static readonly TestOptions WithAkka = new() { AdditionalSources = ImmutableArray.Create(StandIns.Akka.Source) };

    // ---- Reported in C# literals, and fixed ------------------------------------------------------------

    [Fact]
    public Task Verbatim_literal_in_place_is_fixed_at_the_same_nesting() => VerifyCS.FixAsync("""
        using Akka.Actor;
        using Akka.Configuration;

        class ClusterHost
        {
            ActorSystem Start()
            {
                var config = ConfigurationFactory.ParseString(@"
                    akka {
                        actor.provider = cluster
                        cluster {
                            seed-nodes = [""akka.tcp://orders@10.0.0.1:4053""]
                            [|auto-down-unreachable-after = 10s|]
                        }
                    }");
                return ActorSystem.Create("orders", config);
            }
        }
        """, """
        using Akka.Actor;
        using Akka.Configuration;

        class ClusterHost
        {
            ActorSystem Start()
            {
                var config = ConfigurationFactory.ParseString(@"
                    akka {
                        actor.provider = cluster
                        cluster {
                            seed-nodes = [""akka.tcp://orders@10.0.0.1:4053""]
                            downing-provider-class = ""Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster""
                            split-brain-resolver { active-strategy = keep-majority }
                        }
                    }");
                return ActorSystem.Create("orders", config);
            }
        }
        """, WithAkka);

    [Fact]
    public Task Regular_single_line_literal_with_a_dotted_path_is_fixed_with_escaped_quotes() => VerifyCS.FixAsync("""
        using Akka.Configuration;

        class ClusterConfig
        {
            Config Load() => ConfigurationFactory.ParseString("akka.actor.provider = cluster, [|akka.cluster.auto-down-unreachable-after = 10s|]");
        }
        """, """
        using Akka.Configuration;

        class ClusterConfig
        {
            Config Load() => ConfigurationFactory.ParseString("akka.actor.provider = cluster, akka.cluster.downing-provider-class = \"Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster\", akka.cluster.split-brain-resolver { active-strategy = keep-majority }");
        }
        """, WithAkka);

    [Fact]
    public Task Regular_literal_with_escaped_line_breaks_keeps_them() => VerifyCS.FixAsync("""
        using Akka.Configuration;

        class ClusterConfig
        {
            static Config Load() => ConfigurationFactory.ParseString("akka.cluster {\n  [|auto-down-unreachable-after = \"30 s\"|]\n}");
        }
        """, """
        using Akka.Configuration;

        class ClusterConfig
        {
            static Config Load() => ConfigurationFactory.ParseString("akka.cluster {\n  downing-provider-class = \"Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster\"\n  split-brain-resolver { active-strategy = keep-majority }\n}");
        }
        """, WithAkka);

    [Fact]
    public Task Raw_literal_in_a_readonly_field_keeps_the_indentation() => VerifyCS.FixAsync(""""
        using Akka.Actor;
        using Akka.Configuration;

        public sealed class OrdersCluster
        {
            private static readonly string Hocon = """
                akka.cluster {
                    [|auto-down-unreachable-after = 1m|] # give unreachable nodes a minute
                    roles = [orders]
                }
                """;

            public ActorSystem Start() => ActorSystem.Create("orders", ConfigurationFactory.ParseString(Hocon));
        }
        """", """"
        using Akka.Actor;
        using Akka.Configuration;

        public sealed class OrdersCluster
        {
            private static readonly string Hocon = """
                akka.cluster {
                    downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                    split-brain-resolver { active-strategy = keep-majority } # give unreachable nodes a minute
                    roles = [orders]
                }
                """;

            public ActorSystem Start() => ActorSystem.Create("orders", ConfigurationFactory.ParseString(Hocon));
        }
        """", WithAkka);

    [Fact]
    public Task Const_field_with_colon_separator_is_fixed() => VerifyCS.FixAsync(""""
        using Akka.Configuration;

        static class Settings
        {
            public const string Cluster = """
                akka {
                  cluster {
                    [|auto-down-unreachable-after: 5s|]
                  }
                }
                """;

            public static Config Load() => ConfigurationFactory.ParseString(Cluster);
        }
        """", """"
        using Akka.Configuration;

        static class Settings
        {
            public const string Cluster = """
                akka {
                  cluster {
                    downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                    split-brain-resolver { active-strategy = keep-majority }
                  }
                }
                """;

            public static Config Load() => ConfigurationFactory.ParseString(Cluster);
        }
        """", WithAkka);

    [Fact]
    public Task Const_local_in_an_async_lambda_with_using_static_is_fixed() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;
        using Akka.Configuration;
        using static Akka.Configuration.ConfigurationFactory;

        class Bootstrap
        {
            Func<Task<Config>> Loader() => async () =>
            {
                const string hocon = "akka { cluster { [|auto-down-unreachable-after = 2m|] } }";
                await Task.Yield();
                return ParseString(hocon);
            };
        }
        """, """
        using System;
        using System.Threading.Tasks;
        using Akka.Configuration;
        using static Akka.Configuration.ConfigurationFactory;

        class Bootstrap
        {
            Func<Task<Config>> Loader() => async () =>
            {
                const string hocon = "akka { cluster { downing-provider-class = \"Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster\", split-brain-resolver { active-strategy = keep-majority } } }";
                await Task.Yield();
                return ParseString(hocon);
            };
        }
        """, WithAkka);

    [Fact]
    public Task Concatenated_literals_report_the_piece_and_fix_it() => VerifyCS.FixAsync("""
        using Akka.Configuration;

        class ClusterConfig
        {
            public Config Load(string seed)
            {
                var hocon = "akka.cluster {\n"
                    + "  seed-nodes = [\"" + seed + "\"]\n"
                    + "  [|auto-down-unreachable-after = 10s|]\n"
                    + "}";
                return ConfigurationFactory.ParseString(hocon);
            }
        }
        """, """
        using Akka.Configuration;

        class ClusterConfig
        {
            public Config Load(string seed)
            {
                var hocon = "akka.cluster {\n"
                    + "  seed-nodes = [\"" + seed + "\"]\n"
                    + "  downing-provider-class = \"Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster\"\n  split-brain-resolver { active-strategy = keep-majority }\n"
                    + "}";
                return ConfigurationFactory.ParseString(hocon);
            }
        }
        """, WithAkka);

    [Fact]
    public Task Interpolated_string_literal_part_is_fixed_with_doubled_braces() => VerifyCS.FixAsync("""
        using Akka.Configuration;

        class ClusterConfig
        {
            public Config Load(int port) =>
                ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp.port = {port}\nakka.cluster {{ [|auto-down-unreachable-after = 10s|] }}");
        }
        """, """
        using Akka.Configuration;

        class ClusterConfig
        {
            public Config Load(int port) =>
                ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp.port = {port}\nakka.cluster {{ downing-provider-class = \"Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster\", split-brain-resolver {{ active-strategy = keep-majority }} }}");
        }
        """, WithAkka);

    [Fact]
    public Task Interpolated_raw_string_with_two_dollars_is_fixed() => VerifyCS.FixAsync(""""
        using Akka.Configuration;

        class ClusterConfig
        {
            public Config Load(string host, int port) => ConfigurationFactory.ParseString($$"""
                akka {
                    remote.dot-netty.tcp { hostname = {{host}}, port = {{port}} }
                    cluster {
                        [|auto-down-unreachable-after = 10s|]
                    }
                }
                """);
        }
        """", """"
        using Akka.Configuration;

        class ClusterConfig
        {
            public Config Load(string host, int port) => ConfigurationFactory.ParseString($$"""
                akka {
                    remote.dot-netty.tcp { hostname = {{host}}, port = {{port}} }
                    cluster {
                        downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                        split-brain-resolver { active-strategy = keep-majority }
                    }
                }
                """);
        }
        """", WithAkka);

    [Fact]
    public Task Top_level_statements_are_analysed() => VerifyCS.FixAsync(""""
        using Akka.Actor;
        using Akka.Configuration;

        var hocon = """
            akka.actor.provider = cluster
            [|akka.cluster.auto-down-unreachable-after = 15s|]
            """;
        using var system = ActorSystem.Create("orders", ConfigurationFactory.ParseString(hocon));
        """", """"
        using Akka.Actor;
        using Akka.Configuration;

        var hocon = """
            akka.actor.provider = cluster
            akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            akka.cluster.split-brain-resolver { active-strategy = keep-majority }
            """;
        using var system = ActorSystem.Create("orders", ConfigurationFactory.ParseString(hocon));
        """", WithAkka with { OutputKind = OutputKind.ConsoleApplication });

    [Fact]
    public Task Fix_all_rewrites_every_literal_in_the_document() => VerifyCS.FixAsync(""""
        using Akka.Configuration;

        class Environments
        {
            private const string Staging = "akka.cluster.auto-down-unreachable-after = off";

            public Config Production() => ConfigurationFactory.ParseString(@"akka.cluster {
            [|auto-down-unreachable-after = 10s|]
        }");

            public Config Canary() => ConfigurationFactory.ParseString("[|akka.cluster.auto-down-unreachable-after = 20s|]");

            public Config Load(bool canary) => ConfigurationFactory.ParseString(canary
                ? """
                  akka.cluster {
                    [|auto-down-unreachable-after = 30s|]
                  }
                  """
                : Staging);
        }
        """", """"
        using Akka.Configuration;

        class Environments
        {
            private const string Staging = "akka.cluster.auto-down-unreachable-after = off";

            public Config Production() => ConfigurationFactory.ParseString(@"akka.cluster {
            downing-provider-class = ""Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster""
            split-brain-resolver { active-strategy = keep-majority }
        }");

            public Config Canary() => ConfigurationFactory.ParseString("akka.cluster.downing-provider-class = \"Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster\", akka.cluster.split-brain-resolver { active-strategy = keep-majority }");

            public Config Load(bool canary) => ConfigurationFactory.ParseString(canary
                ? """
                  akka.cluster {
                    downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                    split-brain-resolver { active-strategy = keep-majority }
                  }
                  """
                : Staging);
        }
        """", WithAkka);

    [Fact]
    public Task Fix_is_the_same_on_net472() => VerifyCS.FixAsync("""
        using Akka.Configuration;

        class ClusterConfig
        {
            private const string Hocon = @"akka.cluster {
          [|auto-down-unreachable-after = 10s|]
        }";

            public Config Load() => ConfigurationFactory.ParseString(Hocon);

            public Config Reload() => ConfigurationFactory.ParseString(Hocon);
        }
        """, """
        using Akka.Configuration;

        class ClusterConfig
        {
            private const string Hocon = @"akka.cluster {
          downing-provider-class = ""Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster""
          split-brain-resolver { active-strategy = keep-majority }
        }";

            public Config Load() => ConfigurationFactory.ParseString(Hocon);

            public Config Reload() => ConfigurationFactory.ParseString(Hocon);
        }
        """, WithAkka with { Target = TargetFramework.Net472 });

    // ---- Reported without a fix ---------------------------------------------------------------------------

    [Fact]
    public Task Setting_split_across_pieces_is_reported_on_the_whole_expression() => VerifyCS.NoFixAsync("""
        using Akka.Configuration;

        class ClusterConfig
        {
            public Config Load() => ConfigurationFactory.ParseString([|"akka.cluster.auto-down-unreachable-after = " + "10s"|]);
        }
        """, WithAkka);

    [Fact]
    public Task Interpolated_raw_string_with_one_dollar_cannot_hold_braces() => VerifyCS.NoFixAsync(""""
        using Akka.Configuration;

        class ClusterConfig
        {
            public Config Load(int port) => ConfigurationFactory.ParseString($"""
                akka.remote.dot-netty.tcp.port = {port}
                [|akka.cluster.auto-down-unreachable-after = 10s|]
                """);
        }
        """", WithAkka);

    [Fact]
    public Task Constant_from_another_type_is_reported_at_the_argument() => VerifyCS.NoFixAsync("""
        using Akka.Configuration;

        static class Defaults
        {
            public const string Cluster = "akka.cluster.auto-down-unreachable-after = 10s";
        }

        class ClusterConfig
        {
            public Config Load() => ConfigurationFactory.ParseString([|Defaults.Cluster|]);
        }
        """, WithAkka);

    // ---- Confidence ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("var hocon = \"akka.cluster.auto-down-unreachable-after = 10s\";", "hocon", 95)]
    [InlineData("var hocon = \"akka { cluster { auto-down-unreachable-after = 10s } }\";", "hocon", 95)]
    [InlineData("var hocon = \"cluster.auto-down-unreachable-after = 10s\";", "hocon", 85)]
    [InlineData("var hocon = \"akka.cluster.\" + \"auto-down-unreachable-after = 10s\";", "hocon", 85)]
    [InlineData("var hocon = $\"akka.cluster.auto-down-unreachable-after = 10s\";", "hocon", 85)]
    [InlineData("", "PrivateHocon", 80)]
    [InlineData("", "PublicHocon", 70)]
    [InlineData("", "ReadOnlyHocon", 95)]
    public async Task Confidence_follows_the_evidence(string declaration, string argument, int expected)
    {
        var source = $$"""
            using Akka.Configuration;

            public class ClusterConfig
            {
                private static string PrivateHocon = "akka.cluster.auto-down-unreachable-after = 10s";
                public static string PublicHocon = "akka.cluster.auto-down-unreachable-after = 10s";
                private static readonly string ReadOnlyHocon = "akka.cluster.auto-down-unreachable-after = 10s";

                public Config Load()
                {
                    {{declaration}}
                    return ConfigurationFactory.ParseString({{argument}});
                }
            }
            """;
        var document = TestWorkspace.CreateDocument(source, WithAkka);
        var diagnostic = Assert.Single(await VerifyAnalyzer.DiagnosticsAsync(document));

        ConfidenceAssert.Has(diagnostic, expected);
    }

    [Fact]
    public async Task Message_quotes_the_setting()
    {
        var document = TestWorkspace.CreateDocument("""
            using Akka.Configuration;

            class ClusterConfig
            {
                Config Load() => ConfigurationFactory.ParseString("akka.cluster.auto-down-unreachable-after = 10s");
            }
            """, WithAkka);
        var diagnostic = Assert.Single(await VerifyAnalyzer.DiagnosticsAsync(document));

        Assert.Equal(
            "'akka.cluster.auto-down-unreachable-after = 10s' turns on auto-downing, so both sides of a partition down each other and form two clusters; use the split brain resolver with keep-majority (confidence 95%)",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public Task Min_confidence_drops_assembled_hocon() => VerifyAnalyzer.AnalyzerAsync("""
        using Akka.Configuration;

        class ClusterConfig
        {
            Config Load(int port) => ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp.port = {port}, akka.cluster.auto-down-unreachable-after = 10s");

            Config Literal() => ConfigurationFactory.ParseString("[|akka.cluster.auto-down-unreachable-after = 10s|]");
        }
        """, WithAkka with { EditorConfig = "distributed_review.min_confidence = 90" });

    // ---- Left alone ------------------------------------------------------------------------------------

    [Fact]
    public Task Off_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using Akka.Configuration;

        class ClusterConfig
        {
            Config A() => ConfigurationFactory.ParseString("akka.cluster.auto-down-unreachable-after = off");

            Config B() => ConfigurationFactory.ParseString("akka.cluster { auto-down-unreachable-after = \"off\" }");
        }
        """, WithAkka);

    [Fact]
    public Task Commented_out_lines_are_left_alone() => VerifyAnalyzer.AnalyzerAsync(""""
        using Akka.Configuration;

        class ClusterConfig
        {
            Config Load() => ConfigurationFactory.ParseString("""
                akka.cluster {
                    # auto-down-unreachable-after = 10s
                    // auto-down-unreachable-after = 10s
                    seed-nodes = [] # auto-down-unreachable-after = 10s
                }
                """);
        }
        """", WithAkka);

    [Fact]
    public Task Split_brain_resolver_configuration_is_left_alone() => VerifyAnalyzer.AnalyzerAsync(""""
        using Akka.Configuration;

        class ClusterConfig
        {
            Config Resolver() => ConfigurationFactory.ParseString("""
                akka.cluster {
                    downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                    split-brain-resolver {
                        active-strategy = keep-majority
                        stable-after = 20s
                    }
                }
                """);

            // A downing provider class takes precedence: Akka.NET then ignores auto-down-unreachable-after.
            Config Both() => ConfigurationFactory.ParseString("""
                akka.cluster.auto-down-unreachable-after = 10s
                akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                """);
        }
        """", WithAkka);

    [Fact]
    public Task A_later_off_wins() => VerifyAnalyzer.AnalyzerAsync("""
        using Akka.Configuration;

        class ClusterConfig
        {
            Config Load() => ConfigurationFactory.ParseString("akka.cluster.auto-down-unreachable-after = 10s\nakka { cluster { auto-down-unreachable-after = off } }");
        }
        """, WithAkka);

    [Fact]
    public Task Strings_not_passed_to_ParseString_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using Akka.Configuration;

        namespace Tools
        {
            static class ConfigurationFactory
            {
                public static string ParseString(string hocon) => hocon;
            }
        }

        class ClusterConfig
        {
            const string Documented = "akka.cluster.auto-down-unreachable-after = 10s";

            void Describe() => Console.WriteLine(Documented);

            string LookAlike() => Tools.ConfigurationFactory.ParseString("akka.cluster.auto-down-unreachable-after = 10s");

            Config Safe() => ConfigurationFactory.ParseString("akka.cluster.seed-nodes = []");
        }
        """, WithAkka);

    [Fact]
    public Task Values_of_unknown_origin_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using Akka.Configuration;

        class ClusterConfig
        {
            Config FromParameter(string hocon) => ConfigurationFactory.ParseString(hocon);

            Config FromFileOrDefault(string path)
            {
                var hocon = "akka.cluster.auto-down-unreachable-after = 10s";
                if (File.Exists(path))
                {
                    hocon = File.ReadAllText(path);
                }

                return ConfigurationFactory.ParseString(hocon);
            }

            Config Interpolated(string after) => ConfigurationFactory.ParseString($"akka.cluster.auto-down-unreachable-after = {after}");

            Config Substituted() => ConfigurationFactory.ParseString("akka.cluster.auto-down-unreachable-after = ${?AUTO_DOWN_AFTER}");
        }
        """, WithAkka);

    [Fact]
    public Task Without_Akka_nothing_is_reported() => VerifyAnalyzer.AnalyzerAsync("""
        namespace MyCompany.Configuration
        {
            public static class ConfigurationFactory
            {
                public static object ParseString(string hocon) => hocon;
            }

            class ClusterConfig
            {
                object Load() => ConfigurationFactory.ParseString("akka.cluster.auto-down-unreachable-after = 10s");
            }
        }
        """);

    // ---- Additional files ------------------------------------------------------------------------------

    [Fact]
    public Task Hocon_file_is_reported_at_the_setting() => AssertAdditionalFileAsync("/src/akka.hocon", """
        akka {
          actor.provider = cluster
          cluster {
            seed-nodes = ["akka.tcp://orders@10.0.0.1:4053"]
            [|auto-down-unreachable-after = 10s|]
          }
        }
        """, expectedConfidence: 90, expectedLine: 4, expectedCharacter: 4);

    [Fact]
    public Task Conf_file_with_a_dotted_path_is_reported() => AssertAdditionalFileAsync("/src/config/application.conf", """
        # Cluster settings
        akka.actor.provider = cluster
        [|akka.cluster.auto-down-unreachable-after: "30 s"|]
        """, expectedConfidence: 90, expectedLine: 2, expectedCharacter: 0);

    [Fact]
    public Task Fragment_file_is_reported_with_lower_confidence() => AssertAdditionalFileAsync("/src/cluster.hocon", """
        cluster {
          [|auto-down-unreachable-after = 1m|]
        }
        """, expectedConfidence: 80, expectedLine: 1, expectedCharacter: 2);

    [Theory]
    [InlineData("/src/akka.hocon", "akka.cluster.auto-down-unreachable-after = off")]
    [InlineData("/src/akka.hocon", "# akka.cluster.auto-down-unreachable-after = 10s")]
    [InlineData("/src/akka.conf", "akka.cluster {\n  // auto-down-unreachable-after = 10s\n}")]
    [InlineData("/src/akka.conf", "akka.cluster {\n  auto-down-unreachable-after = 10s\n  downing-provider-class = \"Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster\"\n}")]
    [InlineData("/src/notes.txt", "akka.cluster.auto-down-unreachable-after = 10s")]
    [InlineData("/src/nginx.conf", "server {\n  listen 80;\n  location / { proxy_pass http://orders; }\n}")]
    public async Task Files_are_left_alone(string path, string content) =>
        Assert.Empty(await AdditionalFileDiagnosticsAsync(path, content));

    [Fact]
    public async Task Min_confidence_applies_to_files()
    {
        var diagnostics = await AdditionalFileDiagnosticsAsync(
            "/src/akka.hocon",
            "akka.cluster.auto-down-unreachable-after = 10s",
            "root = true\n\n[*.hocon]\ndistributed_review.min_confidence = 95\n");

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Files_are_analysed_without_Akka_in_the_project()
    {
        var diagnostics = await AdditionalFileDiagnosticsAsync("/src/akka.hocon", "akka.cluster.auto-down-unreachable-after = 10s");

        Assert.Equal("akka.cluster.auto-down-unreachable-after = 10s", diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture).Split('\'')[1]);
    }

    // ---- Robustness -----------------------------------------------------------------------------------

    [Fact]
    public void Hocon_scanner_survives_any_text()
    {
        var random = new System.Random(5001);
        const string alphabet = "akuto-dwn.=:{}[]\"\\#/$ \n\t,+10sm\uFFFC";
        for (var i = 0; i < 3000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 120)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            _ = AkkaAutoDowningAnalyzer.AutoDowningSettings("auto-down-unreachable-after" + text).ToList();
            _ = Hocon.Scan(text);
        }

        // Nesting far deeper than any configuration: no stack overflow.
        Assert.Empty(AkkaAutoDowningAnalyzer.AutoDowningSettings(new string('{', 100_000) + "auto-down-unreachable-after = 10s"));
    }

    [Fact]
    public async Task Half_typed_code_does_not_break_the_analyzer_or_the_fix()
    {
        var sources = new[]
        {
            """"
            using Akka.Configuration;

            class Verbatim
            {
                Config A() => ConfigurationFactory.ParseString(@"akka.cluster {
                  auto-down-unreachable-after = 10s
                }");

                Config B(int port) => ConfigurationFactory.ParseString($"port = {port}\nakka.cluster {{ auto-down-unreachable-after = 10s }}");
            }
            """",
            """"
            using Akka.Configuration;

            class Raw
            {
                const string Hocon = """
                    akka.cluster.auto-down-unreachable-after = "30 s"
                    """;

                Config A() => ConfigurationFactory.ParseString(Hocon + "\nakka.cluster.roles = [a]");

                Config B(int port) => ConfigurationFactory.ParseString($$"""
                    port = {{port}}
                    akka.cluster { auto-down-unreachable-after = 1m }
                    """);
            }
            """",
        };
        foreach (var source in sources)
        {
            Assert.Equal(2, (await VerifyAnalyzer.DiagnosticsAsync(TestWorkspace.CreateDocument(source, WithAkka))).Length);
        }

        var random = new System.Random(5001);
        var runs = 0;
        foreach (var source in sources)
        {
            var tokens = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
            var variants = Enumerable.Range(1, 30).Select(i => source.Substring(0, source.Length * i / 31))
                .Concat(Enumerable.Range(0, 30).Select(_ => tokens[random.Next(tokens.Count)]).Select(t => source.Remove(t.SpanStart, t.Span.Length)))
                .Concat(Enumerable.Range(0, 30).Select(_ => random.Next(source.Length)).Select(at => source.Remove(at, 1)));
            foreach (var variant in variants)
            {
                var document = TestWorkspace.CreateDocument(variant, WithAkka);
                foreach (var diagnostic in await VerifyAnalyzer.DiagnosticsAsync(document))
                {
                    foreach (var action in await VerifyCS.ActionsAsync(document, diagnostic))
                    {
                        await VerifyCS.ApplyAsync(document, action);
                    }
                }

                runs++;
            }
        }

        Assert.Equal(180, runs);
    }

    /// <summary>Runs the analyzer on a project with one additional file and checks the one diagnostic's file, span, line and confidence.</summary>
    private static async Task AssertAdditionalFileAsync(string path, string markup, int expectedConfidence, int expectedLine, int expectedCharacter)
    {
        var (content, expected) = Markup.Parse(markup, RuleIds.AkkaAutoDowning);
        var diagnostic = Assert.Single(await AdditionalFileDiagnosticsAsync(path, content));

        Assert.Equal(LocationKind.ExternalFile, diagnostic.Location.Kind);
        Assert.Equal(Assert.Single(expected).Span, diagnostic.Location.SourceSpan);
        var lines = diagnostic.Location.GetLineSpan();
        Assert.Equal(path, lines.Path);
        Assert.Equal(new LinePosition(expectedLine, expectedCharacter), lines.StartLinePosition);
        Assert.Equal(expectedConfidence.ToString(System.Globalization.CultureInfo.InvariantCulture), diagnostic.Properties["Confidence"]);
    }

    /// <summary>The harness has no additional files: add one to its project (and optionally an .editorconfig) here.</summary>
    private static async Task<ImmutableArray<Diagnostic>> AdditionalFileDiagnosticsAsync(string path, string content, string? editorConfig = null)
    {
        var project = TestWorkspace.CreateDocument("class Empty { }", TestOptions.Default).Project;
        project = project.AddAdditionalDocument(Path.GetFileName(path), SourceText.From(content), filePath: path).Project;
        if (editorConfig is not null)
        {
            project = project.AddAnalyzerConfigDocument(".editorconfig", SourceText.From(editorConfig), filePath: "/src/.editorconfig").Project;
        }

        var diagnostics = await Analysis.RunAsync(project, ImmutableArray.Create<DiagnosticAnalyzer>(new AkkaAutoDowningAnalyzer()));
        return diagnostics.Where(d => d.Id == RuleIds.AkkaAutoDowning).ToImmutableArray();
    }
}
