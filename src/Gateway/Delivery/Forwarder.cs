using Fieldlab.Gateway.Buffering;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Logging;

namespace Fieldlab.Gateway.Delivery;

/// <summary>Sends the outbox to the broker: the live lane (records younger than <c>live_window</c>) at once, the backlog
/// lane (older records, e.g. after an outage) oldest first at a bounded rate on <c>…/backlog/{channel}</c>, so that live
/// data keeps its latency while a backlog drains.</summary>
/// <remarks>
/// With <c>confirm: ingest</c> a record is done when ingest's acknowledgement covers it; a record the broker acknowledged
/// but ingest did not confirm within the timeout (doubling per attempt) is sent again — ingest may have died between
/// receiving it and storing it. With <c>confirm: broker</c> the PUBACK is enough. A QoS 1 message the library holds across
/// a reconnect is resent by the library itself, never by the forwarder (libmosquitto-notes pitfall 2). After
/// <c>max_sends</c> attempts a record is given up and its rows are counted as lost.
/// </remarks>
public sealed partial class Forwarder(Outbox outbox, MqttConnection connection, RigAddress rig, DeliveryConfig options, TimeProvider time, ILogger logger)
{
    private readonly SemaphoreSlim _wake = new(0);
    // The forwarder's own bound on outstanding publishes: the connection queues beyond its window in call order, and
    // the outbox, not the connection, is where records wait.
    private readonly SemaphoreSlim _room = new(connection.PublishWindow);
    private double _backlogTokens;
    private long _lastRefill = time.GetTimestamp();
    private long _published;
    private long _resends;

    /// <summary>Rows handed to the broker since start.</summary>
    public long PublishedRows => Interlocked.Read(ref _published);

    /// <summary>Records sent again because no confirmation came in time.</summary>
    public long Resends => Interlocked.Read(ref _resends);

    /// <summary>Wakes the loop (new records, new confirmations).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    /// <summary>Applies an acknowledgement from ingest.</summary>
    public void Acknowledge(Acknowledgement ack)
    {
        foreach (var range in ack.Ranges) outbox.Confirm(ack.Stream, range[0], range[1]);
    }

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextOverdueCheck = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (connection.State != MqttConnectionState.Connected) await connection.WaitConnectedAsync(cancellationToken);
            var now = time.GetUtcNow();
            if (now >= nextOverdueCheck)
            {
                ResendOverdue(now);
                nextOverdueCheck = now + TimeSpan.FromSeconds(1);
            }
            RefillTokens();
            long liveSince = UtcTimestamp.ToNanoseconds(now - options.LiveWindow);
            var record = outbox.TakeNext(liveSince, _backlogTokens > 0, out bool backlog);
            if (record is null)
            {
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken);
                continue;
            }
            if (backlog) _backlogTokens -= record.Count;
            await SendAsync(record, backlog, cancellationToken);
        }
    }

    private async Task SendAsync(OutboxRecord record, bool backlog, CancellationToken cancellationToken)
    {
        byte[] payload;
        try
        {
            payload = outbox.ReadPayload(record);
        }
        catch (InvalidOperationException)
        {
            return; // dropped from a full buffer meanwhile
        }
        var channel = record.Channel;
        var topic = backlog ? FieldlabTopic.Backlog(rig, channel) : FieldlabTopic.For(rig, channel);
        Task delivered;
        await _room.WaitAsync(cancellationToken);
        try
        {
            delivered = connection.PublishAsync(topic, payload, MqttQos.AtLeastOnce, retain: false, CancellationToken.None);
        }
        catch (Exception e) when (e is MqttException or ObjectDisposedException)
        {
            _room.Release();
            LogSendFailed(record.Stream, record.FirstSeq, e.Message);
            outbox.Requeue(record);
            return;
        }
        Interlocked.Add(ref _published, record.Count);
        _ = delivered.ContinueWith(t =>
        {
            _room.Release();
            if (t.IsCompletedSuccessfully)
            {
                if (options.Confirm == "broker") outbox.ConfirmRecord(record);
                else outbox.MarkPublished(record);
            }
            else if (t.Exception?.GetBaseException() is MqttException { IsTransient: false } refused)
            {
                // The broker refused it (ACL, size): sending again cannot help.
                LogRefused(record.Stream, record.FirstSeq, refused.Message);
                outbox.Abandon(record);
            }
            else
            {
                outbox.Requeue(record);
            }
            Wake();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void ResendOverdue(DateTimeOffset now)
    {
        if (options.Confirm != "ingest") return;
        foreach (var record in outbox.Overdue(UtcTimestamp.ToNanoseconds(now - options.ConfirmTimeout)))
        {
            // Back off: the n-th resend waits timeout × 2^(n−1) after the previous send, at most MaxResendInterval.
            var wait = TimeSpan.FromTicks(Math.Min(options.ConfirmTimeout.Ticks * (1L << Math.Min(record.Sends - 1, 20)), MaxResendInterval.Ticks));
            if (UtcTimestamp.ToNanoseconds(now - wait) < record.LastSentNs) continue;
            // Give up only on a poison record: ingest keeps confirming newer rows of its stream but never this one. A record
            // that is unconfirmed because ingest (or the broker) is away is sent again for as long as the buffer holds it.
            if (record.Sends >= options.MaxSends && outbox.LastConfirmedNs(record.Stream) > record.LastSentNs)
            {
                outbox.Abandon(record);
                continue;
            }
            Interlocked.Increment(ref _resends);
            outbox.Requeue(record);
        }
    }

    /// <summary>The longest wait between two sends of an unconfirmed record.</summary>
    public static readonly TimeSpan MaxResendInterval = TimeSpan.FromMinutes(5);

    private void RefillTokens()
    {
        long nowTs = time.GetTimestamp();
        double seconds = time.GetElapsedTime(_lastRefill, nowTs).TotalSeconds;
        _lastRefill = nowTs;
        // A bucket of half a second's worth lets the backlog lane send whole records without bursting.
        _backlogTokens = Math.Min(_backlogTokens + seconds * options.BacklogRowsPerS, Math.Max(1, options.BacklogRowsPerS / 2));
    }

    [LoggerMessage(1301, LogLevel.Warning, "Could not hand rows {Seq}… of {Stream} to the broker: {Reason}; will retry.")]
    private partial void LogSendFailed(string stream, long seq, string reason);

    [LoggerMessage(1302, LogLevel.Error, "The broker refused rows {Seq}… of {Stream}: {Reason}. Given up and counted as lost.")]
    private partial void LogRefused(string stream, long seq, string reason);
}
