using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Samples;

/// <summary>Turns one sample message into points: decode, check it against the rig's birth (stream, sensors, clock),
/// write the valid rows as line protocol, and describe what was rejected. No I/O.</summary>
/// <remarks>
/// Points: measurement <c>samples</c>, tags <c>site</c>, <c>rig</c>, <c>stream</c>, one float field per sensor plus the
/// integer field <c>seq</c>, timestamp in ns. A resent batch produces the same points (same series and time), so
/// InfluxDB stores it once. Not thread-safe: one processor per consuming loop.
/// </remarks>
public sealed class SampleBatchProcessor(IngestOptions options, RigDirectory directory, TimeProvider time)
{
    private readonly DecodedSampleBatch _batch = new();
    private readonly Dictionary<RigAddress, RigSchema> _schemas = [];
    private LineProtocolName?[] _fieldOfSensor = new LineProtocolName?[64];
    private bool[] _sensorResolved = new bool[64];

    /// <summary>The batch decoded by the last <see cref="Process"/> (reused by the next call; rejected rows are marked).</summary>
    public DecodedSampleBatch LastDecoded => _batch;

    /// <summary>Processes a message received on a <c>samples</c> topic, appending valid rows to <paramref name="points"/>.</summary>
    public BatchOutcome Process(FieldlabTopic topic, MqttMessage message, LineProtocolWriter points, List<long>? storedRowTimes = null)
    {
        var received = time.GetUtcNow();
        // The numbers' text goes to InfluxDB verbatim: they are validated, not converted (the models parse them if needed).
        if (!SampleBatchReader.TryRead(message.Payload, _batch, parseValues: false, out var reason, out var detail))
        {
            return Reject(message, received, reason, detail, rows: 0);
        }
        if (!directory.TryGet(topic.Rig, out var entry) || entry.Birth is null)
        {
            return new BatchOutcome(BatchVerdict.AwaitingBirth, 0, 0, null);
        }
        var schema = SchemaOf(topic.Rig, entry.Birth);
        if (!schema.Streams.TryGetValue(_batch.Stream, out var stream))
        {
            return Reject(message, received, RejectReasons.UnknownStream,
                $"rig {topic.Rig} declares no stream '{_batch.Stream}' in its birth (streams: {string.Join(", ", schema.Streams.Keys)})", _batch.RowCount)
                with { Stream = _batch.Stream, FirstSeq = _batch.FirstSeq, Count = _batch.RowCount };
        }

        ResolveSensors(stream);
        long latest = UtcTimestamp.ToNanoseconds(received + options.MaxFutureSkew);
        long earliest = UtcTimestamp.ToNanoseconds(options.EarliestTimestamp);
        int written = 0;
        var sensors = _batch.SensorIndexes;
        var (textStart, textLength) = _batch.ValueText;
        var starts = textStart.Span;
        var lengths = textLength.Span;
        var payload = message.Payload.AsSpan();
        for (int row = 0; row < _batch.RowCount; row++)
        {
            if (_batch.IsRowRejected(row)) continue;
            long t = _batch.RowTime(row);
            if (t > latest || t < earliest)
            {
                _batch.RejectRow(row, RejectReasons.TimestampSkew, t > latest
                    ? $"row {row}: {UtcTimestamp.Format(t)} is more than {options.MaxFutureSkew} ahead of ingest's clock ({UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(received))})"
                    : $"row {row}: {UtcTimestamp.Format(t)} is before the earliest accepted time {UtcTimestamp.Format(earliest)}");
                continue;
            }
            var range = _batch.RowValues(row);
            int unknown = FirstUnknownSensor(sensors[range]);
            if (unknown >= 0)
            {
                _batch.RejectRow(row, RejectReasons.UnknownSensor,
                    $"row {row}: stream '{_batch.Stream}' of rig {topic.Rig} declares no sensor '{_batch.SensorName(unknown)}'");
                continue;
            }
            points.BeginPoint(FieldlabSchema.Samples.LineName).Tag(RigSchema.RigKey, schema.Rig).Tag(RigSchema.SiteKey, schema.Site).Tag(RigSchema.StreamKey, stream.Tag);
            for (int v = range.Start.Value; v < range.End.Value; v++) points.FieldFromJsonNumber(_fieldOfSensor[sensors[v]]!, payload.Slice(starts[v], lengths[v]));
            points.Field(RigSchema.SeqKey, _batch.FirstSeq + row);
            points.EndPoint(t);
            storedRowTimes?.Add(t);
            written++;
        }

        int rejected = _batch.RowRejections.Count;
        if (rejected == 0) return new BatchOutcome(BatchVerdict.Stored, written, 0, null, _batch.Stream, _batch.FirstSeq, _batch.RowCount);
        var first = _batch.RowRejections[0];
        var letter = new DeadLetter
        {
            Topic = message.Topic,
            Reason = first.Reason,
            Detail = rejected == 1 ? first.Detail : $"{rejected} rows rejected; first: {first.Detail}",
            Excerpt = WireJson.Excerpt(message.Payload),
            Bytes = message.Payload.Length,
            Received = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(received)),
            Seqs = [.. _batch.RowRejections.Select(r => r.Seq)],
        };
        return new BatchOutcome(written > 0 ? BatchVerdict.PartlyStored : BatchVerdict.Rejected, written, rejected, letter, _batch.Stream, _batch.FirstSeq, _batch.RowCount);
    }

    /// <summary>Builds the dead letter for a message that cannot be attributed or waited too long for its birth.</summary>
    public BatchOutcome Reject(MqttMessage message, DateTimeOffset received, string reason, string detail, int rows) =>
        new(BatchVerdict.Rejected, 0, rows, new DeadLetter
        {
            Topic = message.Topic,
            Reason = reason,
            Detail = detail,
            Excerpt = WireJson.Excerpt(message.Payload),
            Bytes = message.Payload.Length,
            Received = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(received)),
        });

    private RigSchema SchemaOf(RigAddress rig, RigBirth birth)
    {
        if (!_schemas.TryGetValue(rig, out var schema) || !ReferenceEquals(schema.Birth, birth))
        {
            schema = new RigSchema(rig, birth);
            _schemas[rig] = schema;
        }
        return schema;
    }

    private void ResolveSensors(StreamSchema stream)
    {
        int names = 0;
        foreach (var index in _batch.SensorIndexes) names = Math.Max(names, index + 1);
        if (_fieldOfSensor.Length < names)
        {
            _fieldOfSensor = new LineProtocolName?[Math.Max(names, _fieldOfSensor.Length * 2)];
            _sensorResolved = new bool[_fieldOfSensor.Length];
        }
        Array.Clear(_sensorResolved, 0, names);
        foreach (var index in _batch.SensorIndexes)
        {
            if (_sensorResolved[index]) continue;
            _fieldOfSensor[index] = stream.Fields.GetValueOrDefault(_batch.SensorName(index));
            _sensorResolved[index] = true;
        }
    }

    private int FirstUnknownSensor(ReadOnlySpan<int> sensors)
    {
        foreach (var s in sensors) if (_fieldOfSensor[s] is null) return s;
        return -1;
    }
}
