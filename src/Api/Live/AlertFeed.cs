using System.Threading.Channels;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Live;

/// <summary>Every alert the API's broker connection receives (<c>fieldlab/+/+/alerts</c>), fanned out to each part that
/// reacts to one — live streams, notifications. A subscriber that falls behind loses its oldest alerts, never blocks
/// the broker connection.</summary>
public sealed class AlertFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<ReceivedAlert>> _subscribers = [];

    /// <summary>Alerts from now on, until <paramref name="cancellationToken"/> ends the subscription.</summary>
    public async IAsyncEnumerable<ReceivedAlert> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ReceivedAlert>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate) _subscribers.Add(channel);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var alert)) yield return alert;
            }
        }
        finally
        {
            lock (_gate) _subscribers.Remove(channel);
        }
    }

    /// <summary>Hands one received alert to every subscriber.</summary>
    public void Publish(ReceivedAlert alert)
    {
        lock (_gate)
        {
            foreach (var s in _subscribers) s.Writer.TryWrite(alert);
        }
    }
}

/// <summary>An alert as received from the broker, with the rig it concerns.</summary>
public sealed record ReceivedAlert(RigAddress Rig, RigAlert Alert, DateTimeOffset ReceivedAt);
