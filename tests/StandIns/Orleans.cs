// Stand-in, so the tests and the sample need no package: the Orleans and Microsoft.Extensions.Hosting types the
// Clustering tests use, with their real namespaces, names and signatures (bodies are placeholders): silo and
// client builders, development and production clustering, and the host environment checks that guard development
// clustering.
namespace Microsoft.Extensions.Hosting
{
    public interface IHostEnvironment
    {
        string EnvironmentName { get; set; }
    }

    public static class Environments
    {
        public static readonly string Development = "Development";
        public static readonly string Staging = "Staging";
        public static readonly string Production = "Production";
    }

    public static class HostEnvironmentEnvExtensions
    {
        public static bool IsDevelopment(this IHostEnvironment hostEnvironment) => hostEnvironment.IsEnvironment(Environments.Development);

        public static bool IsStaging(this IHostEnvironment hostEnvironment) => hostEnvironment.IsEnvironment(Environments.Staging);

        public static bool IsProduction(this IHostEnvironment hostEnvironment) => hostEnvironment.IsEnvironment(Environments.Production);

        public static bool IsEnvironment(this IHostEnvironment hostEnvironment, string environmentName) =>
            string.Equals(hostEnvironment.EnvironmentName, environmentName, System.StringComparison.OrdinalIgnoreCase);
    }

    public class HostBuilderContext
    {
        public IHostEnvironment HostingEnvironment { get; set; } = null!;
    }

    public interface IHost : System.IDisposable
    {
    }

    public interface IHostBuilder
    {
        IHost Build();
    }

    public interface IHostApplicationBuilder
    {
        IHostEnvironment Environment { get; }
    }

    public static class Host
    {
        public static IHostBuilder CreateDefaultBuilder(string[] args) => null!;
    }

    public static class GenericHostExtensions
    {
        public static IHostBuilder UseOrleans(this IHostBuilder hostBuilder, System.Action<HostBuilderContext, Orleans.Hosting.ISiloBuilder> configureDelegate) => hostBuilder;

        public static IHostBuilder UseOrleans(this IHostBuilder hostBuilder, System.Action<Orleans.Hosting.ISiloBuilder> configureDelegate) => hostBuilder;

        public static IHostApplicationBuilder UseOrleans(this IHostApplicationBuilder hostAppBuilder, System.Action<Orleans.Hosting.ISiloBuilder> configureDelegate) => hostAppBuilder;
    }

    public static class OrleansClientGenericHostExtensions
    {
        public static IHostBuilder UseOrleansClient(this IHostBuilder hostBuilder, System.Action<HostBuilderContext, Orleans.Hosting.IClientBuilder> configureDelegate) => hostBuilder;

        public static IHostApplicationBuilder UseOrleansClient(this IHostApplicationBuilder hostAppBuilder, System.Action<Orleans.Hosting.IClientBuilder> configureDelegate) => hostAppBuilder;
    }
}

namespace Orleans.Configuration
{
    public class DevelopmentClusterMembershipOptions
    {
        public System.Net.IPEndPoint? PrimarySiloEndpoint { get; set; }
    }

    public class AdoNetClusteringSiloOptions
    {
        public string? Invariant { get; set; }

        public string? ConnectionString { get; set; }
    }
}

namespace Orleans.Hosting
{
    public interface ISiloBuilder
    {
    }

    public interface IClientBuilder
    {
    }

    public static class CoreHostingExtensions
    {
        public static ISiloBuilder UseLocalhostClustering(
            this ISiloBuilder builder,
            int siloPort = 11111,
            int gatewayPort = 30000,
            System.Net.IPEndPoint? primarySiloEndpoint = null,
            string serviceId = "dev",
            string clusterId = "dev") => builder;

        public static ISiloBuilder UseDevelopmentClustering(this ISiloBuilder builder, System.Net.IPEndPoint primarySiloEndpoint) => builder;

        public static ISiloBuilder UseDevelopmentClustering(this ISiloBuilder builder, System.Action<Orleans.Configuration.DevelopmentClusterMembershipOptions> configureOptions) => builder;
    }

    public static class AdoNetHostingExtensions
    {
        public static ISiloBuilder UseAdoNetClustering(this ISiloBuilder builder, System.Action<Orleans.Configuration.AdoNetClusteringSiloOptions> configureOptions) => builder;
    }
}

namespace Orleans
{
    public static class ClientBuilderExtensions
    {
        public static Orleans.Hosting.IClientBuilder UseLocalhostClustering(
            this Orleans.Hosting.IClientBuilder builder,
            int gatewayPort = 30000,
            string serviceId = "dev",
            string clusterId = "dev") => builder;

        public static Orleans.Hosting.IClientBuilder UseStaticClustering(this Orleans.Hosting.IClientBuilder builder, params System.Net.IPEndPoint[] endpoints) => builder;
    }
}
