using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Consumption;

/// <summary>Ingest's two broker connections — the live lane and the backlog lane, each a persistent shared subscription —
/// and the fair order in which their messages are taken: live first, one backlog message per
/// <see cref="IngestOptions.LivePerBacklog"/> live ones while both have work, so that neither starves.</summary>
public sealed class IngestLanes : IAsyncDisposable
{
    private readonly int _livePerBacklog;
    private int _liveStreak;

    private IngestLanes(MqttConnection live, MqttConnection backlog, int livePerBacklog)
    {
        Live = live;
        Backlog = backlog;
        _livePerBacklog = livePerBacklog;
    }

    /// <summary>The live-lane connection: births, heads, live samples, waveforms, truth, health; also where notices go.</summary>
    public MqttConnection Live { get; }

    /// <summary>The backlog-lane connection: what gateways send late, on <c>…/backlog/…</c>.</summary>
    public MqttConnection Backlog { get; }

    /// <summary>Both connections with their subscriptions on the broker. Ingest acknowledges QoS 1 messages itself, after
    /// storing them, when the client library allows it (<see cref="MqttConnectionOptions.ManualAcknowledgement"/>).</summary>
    public static async Task<IngestLanes> OpenAsync(MqttConnectionOptions mqtt, IngestOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var live = MqttConnection.Start(mqtt, logger);
        MqttConnection? backlog = null;
        try
        {
            backlog = MqttConnection.Start(mqtt.ForConnection("-backlog"), logger);
            // Births first: on a new session the retained births are queued to us before any sample of the shared subscriptions.
            await live.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Birth), MqttQos.AtLeastOnce, cancellationToken);
            // Every replica reads every head (not shared): each keeps the watermarks of the ranges it stored itself.
            await live.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Head), MqttQos.AtLeastOnce, cancellationToken);
            foreach (var channel in new[] { TopicChannel.Samples, TopicChannel.Waveform, TopicChannel.Truth, TopicChannel.Health })
            {
                await live.SubscribeAsync($"$share/{options.SharedGroup}/{FieldlabTopic.AllRigs(channel)}", MqttQos.AtLeastOnce, cancellationToken);
            }
            await backlog.SubscribeAsync($"$share/{options.SharedGroup}/{FieldlabTopic.AllRigs(TopicChannel.Backlog)}", MqttQos.AtLeastOnce, cancellationToken);
            return new IngestLanes(live, backlog, options.LivePerBacklog);
        }
        catch
        {
            await live.DisposeAsync();
            if (backlog is not null) await backlog.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes the next message in lane order, if any is waiting.</summary>
    public bool TryNext(out ReceivedMessage received)
    {
        MqttMessage message;
        if (_liveStreak < _livePerBacklog && Live.Messages.TryRead(out message))
        {
            _liveStreak++;
            received = new ReceivedMessage(message, Live);
            return true;
        }
        _liveStreak = 0;
        if (Backlog.Messages.TryRead(out message))
        {
            received = new ReceivedMessage(message, Backlog);
            return true;
        }
        if (Live.Messages.TryRead(out message))
        {
            received = new ReceivedMessage(message, Live);
            return true;
        }
        received = default;
        return false;
    }

    /// <summary>Waits until either lane has a message, <paramref name="other"/> fires, or <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, Func<CancellationToken, ValueTask<bool>> other, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await Task.WhenAny(
                Live.Messages.WaitToReadAsync(wait.Token).AsTask(),
                Backlog.Messages.WaitToReadAsync(wait.Token).AsTask(),
                other(wait.Token).AsTask());
            await wait.CancelAsync(); // release the other waiters
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Deadline passed.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Live.DisposeAsync();
        await Backlog.DisposeAsync();
    }
}
