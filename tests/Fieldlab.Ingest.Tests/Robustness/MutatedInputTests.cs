using Fieldlab.Ingest.Samples;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;

namespace Fieldlab.Ingest.Tests.Robustness;

[Collection("servers")]
public sealed class MutatedInputTests(ServersFixture servers)
{
    private const int Cases = 100_000;
    private static readonly RigAddress Rig = new("lab", "pump-1");

    [Fact]
    public async Task HundredThousandMutatedPayloads_AreEachStoredOrQuarantined_CountsAddUp_AndInfluxDbAcceptsEverything()
    {
        const int seed = 20261122;
        var directory = new RigDirectory();
        directory.SetBirth(Rig, new RigBirth
        {
            Kind = "pump",
            Streams = [new StreamSpec { Id = "process", RateHz = 10, Sensors = [.. PayloadMutator.Sensors.Select(s => new SensorSpec { Id = s, Unit = "1" })] }],
        });
        var processor = new SampleBatchProcessor(new IngestOptions(), directory, new FixedClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)));
        var mutator = new PayloadMutator(seed);
        var points = new LineProtocolWriter(8 * 1024 * 1024);
        using var influx = await servers.Influx.NewDatabaseAsync();
        var kinds = new Dictionary<string, int>();
        long stored = 0, rowsStored = 0, rowsQuarantined = 0, quarantined = 0, awaiting = 0, written = 0;
        var validTopic = FieldlabTopic.For(Rig, TopicChannel.Samples);

        for (int i = 0; i < Cases; i++)
        {
            var (valid, _) = mutator.Valid(i * 100L);
            var (kind, payload) = i % 10 == 0 ? ("valid", valid) : mutator.Mutate(valid);
            if (i % 25_000 == 7) (kind, payload) = ("10-MB", new byte[10 * 1024 * 1024]);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            var topicText = mutator.Topic(validTopic);
            var message = new MqttMessage(topicText, payload, MqttQos.AtLeastOnce, false);
            BatchOutcome outcome;
            try
            {
                outcome = FieldlabTopic.TryParse(topicText, out var topic, out var error)
                    ? processor.Process(topic, message, points)
                    : processor.Reject(message, DateTimeOffset.UtcNow, RejectReasons.InvalidTopic, error!, 0);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}, case {i} ({kind}, topic {topicText}) crashed the processor: {e}");
            }

            var decoded = new DecodedSampleBatch();
            bool parsed = SampleBatchReader.TryRead(payload, decoded, out _, out _);
            switch (outcome.Verdict)
            {
                case BatchVerdict.Stored:
                    stored++;
                    Assert.True(parsed && outcome.RowsWritten == decoded.RowCount, $"seed {seed}, case {i} ({kind}): stored {outcome.RowsWritten} of {decoded.RowCount} rows");
                    break;
                case BatchVerdict.PartlyStored:
                case BatchVerdict.Rejected:
                    quarantined++;
                    Assert.NotNull(outcome.DeadLetter);
                    Assert.False(string.IsNullOrWhiteSpace(outcome.DeadLetter!.Reason));
                    // Every row either stored or quarantined: nothing vanishes, nothing counts twice.
                    if (parsed && outcome.Stream is not null) Assert.True(outcome.RowsWritten + outcome.RowsRejected == decoded.RowCount, $"seed {seed}, case {i} ({kind}): {outcome.RowsWritten} + {outcome.RowsRejected} ≠ {decoded.RowCount}");
                    break;
                case BatchVerdict.AwaitingBirth:
                    awaiting++; // an unknown rig: quarantined once its grace period ends (tested end to end)
                    Assert.StartsWith("fieldlab/lab/ghost-", topicText);
                    break;
            }
            rowsStored += outcome.RowsWritten;
            rowsQuarantined += outcome.RowsRejected;
            if (points.Length > 4 * 1024 * 1024)
            {
                written += points.PointCount;
                await influx.WriteAsync(points.WrittenMemory, CancellationToken.None); // throws on any 400: nothing we produce may be refused
                points.Clear();
            }
        }
        written += points.PointCount;
        await influx.WriteAsync(points.WrittenMemory, CancellationToken.None);

        Assert.Equal(Cases, stored + quarantined + awaiting);
        Assert.Equal(rowsStored, written);
        Assert.True(kinds.Count >= 15, string.Join(", ", kinds.Select(k => $"{k.Key}={k.Value}")));
        Assert.True(stored > 5_000 && quarantined > 50_000, $"stored {stored}, quarantined {quarantined}");
        var count = await influx.QueryAsync(new InfluxQuery("SELECT count(seq) FROM samples"), CancellationToken.None);
        Assert.True(count.Single!.GetDouble(0, "count") > 0);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
