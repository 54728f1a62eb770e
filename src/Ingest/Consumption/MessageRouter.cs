using Fieldlab.Ingest.Confirmation;
using Fieldlab.Ingest.Gateways;
using Fieldlab.Ingest.GroundTruth;
using Fieldlab.Ingest.Monitoring;
using Fieldlab.Ingest.Quarantine;
using Fieldlab.Ingest.Samples;
using Fieldlab.Ingest.Waveforms;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Consumption;

/// <summary>Where each received message goes: births into the rig directory, heads into the watermarks, samples,
/// waveforms, truth and health into the batch being filled, what is invalid into the quarantine, and samples of a rig
/// whose birth has not come yet into the parking lot. It also decides when a message is acknowledged to the broker:
/// what goes into the batch with the batch, once that is durable; everything else as soon as it is handled.</summary>
public sealed partial class MessageRouter(
    IngestOptions options,
    RigDirectory directory,
    StoredWatermarks watermarks,
    IngestCounters counters,
    QuarantineStore quarantine,
    ModelFeed models,
    string clientId,
    TimeProvider time,
    ILogger logger)
{
    private readonly SampleBatchProcessor _samples = new(options, directory, time);
    private readonly WaveformProcessor _waveforms = new(options, directory, time);
    private readonly RejectRecorder _rejects = new(clientId);
    private readonly ParkedMessages _parked = new(options.MaxParkedMessages);
    private readonly ILogger _logger = logger;
    private TruthRecorder? _truth;

    /// <summary>Messages waiting for their rig's birth.</summary>
    public int ParkedCount => _parked.Count;

    /// <summary>Handles one message from the broker; <paramref name="notices"/> carries dead-letter notices.</summary>
    public void Handle(in ReceivedMessage received, FillingBatch filling, MqttConnection notices)
    {
        var message = received.Message;
        if (!FieldlabTopic.TryParse(message.Topic, out var topic, out var topicError))
        {
            counters.MessageReceived();
            Quarantine(message, _samples.Reject(message, time.GetUtcNow(), RejectReasons.InvalidTopic, topicError!, 0), filling, notices);
            received.Acknowledge();
            return;
        }
        switch (topic.Channel)
        {
            case TopicChannel.Birth:
                HandleBirth(received, topic, filling, notices);
                return;
            case TopicChannel.Head:
                // An empty retained message is how a head is deleted: nothing to learn from it.
                if (message.Payload.Length > 0)
                {
                    if (WireJson.TryDecodeHead(message.Payload, out var head, out var headError)) watermarks.Announced(topic.Rig, head!);
                    else LogHeadIgnored(message.Topic, headError!);
                }
                received.Acknowledge();
                return;
        }
        if (topic.Carried == TopicChannel.Health)
        {
            filling.Touch();
            GatewayHealthRecorder.Record(topic, message, filling.Batch.Points);
            filling.Batch.Holds(received);
            return;
        }
        counters.MessageReceived();
        Process(received, topic, filling, notices);
    }

    /// <summary>Processes quarantined messages matching the filters again, like fresh ones (nothing to acknowledge).</summary>
    public (int Replayed, int Accepted) Replay(QuarantineFilter filter, FillingBatch filling, MqttConnection notices, Action<FillingBatch> whenFull)
    {
        int replayed = 0, accepted = 0;
        foreach (var (_, message) in quarantine.Take(filter.Reason, filter.Site, filter.Rig, filter.Id, limit: 10_000))
        {
            replayed++;
            FieldlabTopic.TryParse(message.Topic, out var topic, out _);
            var outcome = topic.Channel is TopicChannel.Samples or TopicChannel.Waveform or TopicChannel.Truth or TopicChannel.Backlog
                ? Process(new ReceivedMessage(message, null), topic, filling, notices)
                : default;
            if (outcome.Verdict is BatchVerdict.Stored or BatchVerdict.PartlyStored or BatchVerdict.AwaitingBirth) accepted++;
            if (filling.Batch.PointCount >= options.MaxBatchPoints) whenFull(filling);
        }
        LogReplayed(replayed, accepted);
        return (replayed, accepted);
    }

    /// <summary>Quarantines the parked messages whose birth did not come within <see cref="IngestOptions.UnknownRigGrace"/>.</summary>
    public void ExpireParked(FillingBatch filling, MqttConnection notices)
    {
        if (_parked.Count == 0) return;
        foreach (var parked in _parked.TakeExpired(time.GetUtcNow() - options.UnknownRigGrace))
        {
            RejectUnknownRig(parked, $"no birth arrived within {options.UnknownRigGrace}", filling, notices);
        }
    }

    private void HandleBirth(in ReceivedMessage received, FieldlabTopic topic, FillingBatch filling, MqttConnection notices)
    {
        var message = received.Message;
        if (!directory.TryApply(message, out _, out var birthError))
        {
            Quarantine(message, _samples.Reject(message, time.GetUtcNow(), RejectReasons.InvalidBirth, birthError!, 0), filling, notices);
            received.Acknowledge();
            return;
        }
        // A birth lives in memory and is retained on the broker: handled once applied.
        received.Acknowledge();
        foreach (var (parkedTopic, parked) in _parked.TakeRig(topic.Rig)) Process(parked, parkedTopic, filling, notices);
    }

    private BatchOutcome Process(in ReceivedMessage received, FieldlabTopic topic, FillingBatch filling, MqttConnection notices)
    {
        var message = received.Message;
        filling.Touch();
        var batch = filling.Batch;
        bool liveLane = topic.Channel != TopicChannel.Backlog;
        _truth ??= new TruthRecorder(_samples, time);
        var outcome = topic.Carried switch
        {
            TopicChannel.Samples => _samples.Process(topic, message, batch.Samples, liveLane ? batch.LiveRowTimes : null),
            TopicChannel.Waveform => _waveforms.Process(topic, message, batch.Points, batch.Raw),
            TopicChannel.Truth => _truth.Process(topic, message, batch.Points),
            _ => _samples.Reject(message, time.GetUtcNow(), RejectReasons.InvalidTopic, $"ingest does not take {topic.Carried} messages", 0),
        };
        if (outcome.Verdict == BatchVerdict.AwaitingBirth)
        {
            // Parked in memory only: acknowledged when it is finally stored or quarantined, so a restart meanwhile
            // gets it again from the broker.
            if (_parked.Park(topic, received, time.GetUtcNow()) is { } evicted) RejectUnknownRig(evicted, "too many messages waiting for births", filling, notices);
            return outcome;
        }
        batch.Rows += outcome.RowsWritten;
        if (outcome.RowsWritten > 0)
        {
            counters.BatchAccepted();
            if (liveLane) models.Offer(topic, message.Payload, _samples, _waveforms);
        }
        // Stored or quarantined, the range is handled once this batch is durable: confirm it then.
        if (outcome.Stream is not null) batch.Acks.Add(topic.Rig, outcome.Stream, outcome.FirstSeq, outcome.Count);
        if (outcome.DeadLetter is not null) Quarantine(message, outcome, filling, notices);
        // Its stored rows are in the batch (and a rejected part in the quarantine, fsynced): acknowledged with the batch.
        batch.Holds(received);
        return outcome;
    }

    private void RejectUnknownRig(in ReceivedMessage received, string why, FillingBatch filling, MqttConnection notices)
    {
        var message = received.Message;
        var rows = new DecodedSampleBatch();
        int count = SampleBatchReader.TryRead(message.Payload, rows, out _, out _) ? rows.RowCount : 0;
        Quarantine(message, _samples.Reject(message, time.GetUtcNow(), RejectReasons.UnknownRig,
            $"no birth message is known for this rig ({why}); publish fieldlab/{{site}}/{{rig}}/birth first", count), filling, notices);
        received.Acknowledge();
    }

    private void Quarantine(MqttMessage message, BatchOutcome outcome, FillingBatch filling, MqttConnection notices)
    {
        var letter = outcome.DeadLetter!;
        if (outcome.Verdict == BatchVerdict.Rejected && outcome.RowsWritten == 0) counters.MessageRejected(outcome.RowsRejected, letter.Reason);
        else counters.RowsQuarantined(outcome.RowsRejected, letter.Reason);
        filling.Touch();
        quarantine.Keep(message, letter);
        var (topic, payload) = _rejects.Record(letter, outcome.RowsRejected, filling.Batch.Points);
        LogRejected(letter.Topic, letter.Reason, letter.Detail);
        // A notice: the kept message and the reject point are the durable record; a failed delivery is logged and
        // counted by the connection.
        if (!notices.TryPublish(topic, payload, MqttQos.AtLeastOnce, retain: false)) LogDeadLetterNotPublished("the connection's publish queue is full or closed");
    }

    [LoggerMessage(2002, LogLevel.Warning, "Quarantined a message from {Topic}: {Reason}: {Detail}")]
    private partial void LogRejected(string topic, string reason, string detail);

    [LoggerMessage(2006, LogLevel.Warning, "Dead letter not published: {Reason}")]
    private partial void LogDeadLetterNotPublished(string reason);

    [LoggerMessage(2012, LogLevel.Warning, "Ignored an invalid head announcement on {Topic}: {Error}")]
    private partial void LogHeadIgnored(string topic, string error);

    [LoggerMessage(2011, LogLevel.Information, "Quarantine replay: {Replayed} messages processed again, {Accepted} accepted.")]
    private partial void LogReplayed(int replayed, int accepted);
}

/// <summary>Which quarantined messages a replay takes (null: any).</summary>
public sealed record QuarantineFilter(string? Reason, string? Site, string? Rig, string? Id);
