using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;

namespace HeartbeatService;

/// <summary>A node's view of the cluster: who it believes is a member, as of which change.</summary>
public sealed record MembershipView(long Version, IReadOnlyList<string> Members);

/// <summary>Pushes this node's membership view to every peer after each change.</summary>
public sealed class MembershipPublisher
{
    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri> _peers;

    public MembershipPublisher(HttpClient http, IReadOnlyList<Uri> peers)
    {
        _http = http;
        _peers = peers;
    }

    public async Task PublishAsync(MembershipView view, CancellationToken cancellationToken)
    {
        foreach (var peer in _peers)
        {
            try
            {
                using var response = await _http.PostAsJsonAsync(new Uri(peer, "membership"), view, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
            }
            catch (HttpRequestException)
            {
                // Peers that are down will catch up from the next view.
            }
        }
    }
}
