using Microsoft.Extensions.Hosting;
using Orleans.Hosting;

namespace HeartbeatService;

/// <summary>Hosts the heartbeat grains in an Orleans silo.</summary>
public static class SiloSetup
{
    public static IHostBuilder AddHeartbeatSilo(this IHostBuilder host) =>
        host.UseOrleans(silo => silo.UseLocalhostClustering());
}
