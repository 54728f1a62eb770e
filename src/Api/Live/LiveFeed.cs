using System.Collections.Concurrent;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Live;

/// <summary>The live state of every rig as the API's broker connection hears it (samples, vibration frames, alerts),
/// and the viewers to wake when a rig they watch changes. Rights are not decided here: each stream filters what it
/// sends by its caller's visibility (<see cref="LiveStreamApi"/>).</summary>
public sealed partial class LiveFeed(ILogger<LiveFeed> logger)
{
    private readonly ConcurrentDictionary<RigAddress, LiveRig> _rigs = new();
    private readonly ConcurrentDictionary<LiveViewer, byte> _viewers = new();
    private readonly DecodedSampleBatch _batch = new();
    private long _messages;

    /// <summary>Connected live streams.</summary>
    public int ViewerCount => _viewers.Count;

    /// <summary>Sample and frame messages taken since start.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>The live state of a rig, if anything was heard from it.</summary>
    public LiveRig? Find(RigAddress rig) => _rigs.TryGetValue(rig, out var live) ? live : null;

    /// <summary>Registers a viewer until the returned handle is disposed.</summary>
    public IDisposable Connect(LiveViewer viewer)
    {
        _viewers[viewer] = 0;
        return new Registration(this, viewer);
    }

    /// <summary>Takes a message of a <c>samples</c> or <c>waveform</c> topic (called by the broker listener, one thread).</summary>
    public void Take(MqttMessage message)
    {
        if (!FieldlabTopic.TryParse(message.Topic, out var topic, out _)) return;
        var rig = _rigs.GetOrAdd(topic.Rig, a => new LiveRig(a));
        Interlocked.Increment(ref _messages);
        if (topic.Channel == TopicChannel.Samples)
        {
            if (!SampleBatchReader.TryRead(message.Payload, _batch, out var reason, out _))
            {
                LogUndecodable(message.Topic, reason);
                return;
            }
            var values = _batch.Values;
            var sensors = _batch.SensorIndexes;
            for (int row = 0; row < _batch.RowCount; row++)
            {
                if (_batch.IsRowRejected(row)) continue;
                var range = _batch.RowValues(row);
                for (int i = range.Start.Value; i < range.End.Value; i++)
                {
                    if (double.IsFinite(values[i])) rig.Take(_batch.SensorName(sensors[i]), _batch.RowTime(row), values[i]);
                }
            }
        }
        else if (topic.Channel == TopicChannel.Waveform)
        {
            if (!WaveformFrame.TryDecode(message.Payload, out var frame, out var reason, out _))
            {
                LogUndecodable(message.Topic, reason);
                return;
            }
            rig.Take(frame!);
        }
        else return;
        Wake(topic.Rig);
    }

    /// <summary>Hands an alert to the viewers of its rig.</summary>
    public void Take(ReceivedAlert alert)
    {
        foreach (var viewer in _viewers.Keys)
        {
            if (viewer.Watches(alert.Rig)) viewer.Enqueue(alert);
        }
    }

    private void Wake(RigAddress rig)
    {
        foreach (var viewer in _viewers.Keys)
        {
            if (viewer.Watches(rig)) viewer.Wake();
        }
    }

    [LoggerMessage(4020, LogLevel.Debug, "Live view skipped an undecodable message on {Topic}: {Reason}")]
    private partial void LogUndecodable(string topic, string reason);

    private sealed class Registration(LiveFeed feed, LiveViewer viewer) : IDisposable
    {
        public void Dispose() => feed._viewers.TryRemove(viewer, out _);
    }
}
