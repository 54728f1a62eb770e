using Fieldlab.Ingest.ConditionMonitoring;
using Fieldlab.Ingest.Samples;
using Fieldlab.Ingest.Waveforms;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Consumption;

/// <summary>Copies what was just stored for the condition-monitoring models, only for rig kinds that have models: scalar
/// rows in the stream's sensor order, and vibration frames.</summary>
public sealed class ModelFeed(RigDirectory directory, ConditionMonitor monitor)
{
    /// <summary>Offers the last decoded samples or frame of <paramref name="topic"/> to the models.</summary>
    public void Offer(FieldlabTopic topic, ReadOnlySpan<byte> payload, SampleBatchProcessor samples, WaveformProcessor waveforms)
    {
        if (!directory.TryGet(topic.Rig, out var entry) || entry.Birth is not { } birth || !monitor.Wants(birth.Kind)) return;
        if (topic.Carried == TopicChannel.Samples)
        {
            samples.LastDecoded.ParseValues(payload);
            OfferRows(topic.Rig, birth, samples.LastDecoded);
        }
        else if (topic.Carried == TopicChannel.Waveform && monitor.WantsVibration(birth.Kind) && waveforms.LastFrame is { } frame)
        {
            monitor.Offer(new VibrationFrame(topic.Rig, birth.Kind, frame));
        }
    }

    private void OfferRows(RigAddress rig, RigBirth birth, DecodedSampleBatch batch)
    {
        var stream = birth.Streams.FirstOrDefault(s => s.Id == batch.Stream);
        if (stream is null) return;
        var sensors = stream.Sensors.Select(s => s.Id).ToArray();
        var column = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < sensors.Length; i++) column[sensors[i]] = i;
        var times = new List<long>(batch.RowCount);
        var rows = new List<double[]>(batch.RowCount);
        var values = batch.Values;
        var indexes = batch.SensorIndexes;
        for (int r = 0; r < batch.RowCount; r++)
        {
            if (batch.IsRowRejected(r)) continue;
            var row = new double[sensors.Length];
            Array.Fill(row, double.NaN);
            var range = batch.RowValues(r);
            for (int v = range.Start.Value; v < range.End.Value; v++)
                if (column.TryGetValue(batch.SensorName(indexes[v]), out int c)) row[c] = values[v];
            times.Add(batch.RowTime(r));
            rows.Add(row);
        }
        if (rows.Count > 0) monitor.Offer(new ScalarRows(rig, birth.Kind, stream.Id, sensors, [.. times], [.. rows]));
    }
}
