using System.Collections.Concurrent;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Live;

/// <summary>One connected live stream: the rigs it watches and a signal the <see cref="LiveFeed"/> raises when one of
/// them changes or an alert for one of them arrives. The stream itself decides when to send (coalescing), so a fast
/// rig cannot make the feed wait for a slow browser.</summary>
public sealed class LiveViewer
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly ConcurrentQueue<ReceivedAlert> _alerts = new();
    private volatile IReadOnlySet<RigAddress> _rigs;

    /// <summary>A viewer of <paramref name="rigs"/>.</summary>
    public LiveViewer(IReadOnlySet<RigAddress> rigs) => _rigs = rigs;

    /// <summary>The rigs watched (replaced when the viewer's rights are evaluated again).</summary>
    public IReadOnlySet<RigAddress> Rigs
    {
        get => _rigs;
        set { _rigs = value; Wake(); }
    }

    /// <summary>Whether the viewer watches <paramref name="rig"/>.</summary>
    public bool Watches(RigAddress rig) => _rigs.Contains(rig);

    /// <summary>Signals a change (at most one pending signal: changes are coalesced).</summary>
    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); }
            catch (SemaphoreFullException) { /* another thread signalled first: one pending signal is enough */ }
        }
    }

    /// <summary>Queues an alert for the viewer (bounded: a viewer that never reads keeps only the newest 256).</summary>
    public void Enqueue(ReceivedAlert alert)
    {
        _alerts.Enqueue(alert);
        while (_alerts.Count > 256 && _alerts.TryDequeue(out _)) { }
        Wake();
    }

    /// <summary>Takes the queued alerts.</summary>
    public List<ReceivedAlert> TakeAlerts()
    {
        var taken = new List<ReceivedAlert>();
        while (_alerts.TryDequeue(out var a)) taken.Add(a);
        return taken;
    }

    /// <summary>Waits for a signal, or for <paramref name="timeout"/> (keep-alives and re-evaluation of rights).</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _signal.WaitAsync(timeout, cancellationToken);
}
