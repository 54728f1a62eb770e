using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Telemetry.Tests.Schema;

/// <summary>docs/telemetry.md's "InfluxDB schema" tables name exactly the schema's retention policies, measurements,
/// tags and fields.</summary>
public sealed class SchemaDocumentTests
{
    private static readonly string Doc = File.ReadAllText(RepositoryRoot.File("docs", "telemetry.md"));

    private static IReadOnlyList<string> Differences(string markdown) =>
        SchemaDocument.Differences(markdown, FieldlabSchema.Measurements, FieldlabSchema.RetentionPolicies);

    [Fact]
    public void Doc_NamesExactlyTheSchema()
    {
        Assert.Empty(Differences(Doc));
    }

    [Fact]
    public void Doc_WithAFieldTheSchemaLacks_Differs()
    {
        var doc = Doc.Replace("`score`, `limit`, `anomalous`", "`score`, `limit`, `scroe`, `anomalous`", StringComparison.Ordinal);
        Assert.NotEqual(Doc, doc);
        Assert.Equal(["field of anomaly 'scroe' is documented but not in the schema"], Differences(doc));
    }

    [Fact]
    public void Doc_WithoutAMeasurementTheSchemaHas_Differs()
    {
        var lines = Doc.Split('\n').Where(l => !l.StartsWith("| `ingest_stats` |", StringComparison.Ordinal));
        Assert.Equal(["measurement 'ingest_stats' is in the schema but not documented"], Differences(string.Join('\n', lines)));
    }

    [Fact]
    public void Doc_WithAMeasurementTheSchemaLacks_OrInAnotherPolicy_Differs()
    {
        var doc = Doc.Replace("| `waveform_raw.waveform` |", "| `waveform` |", StringComparison.Ordinal);
        Assert.Equal(["measurement 'waveform' is documented but not in the schema", "measurement 'waveform_raw.waveform' is in the schema but not documented"], Differences(doc));
    }

    [Fact]
    public void Doc_MissingATag_Differs()
    {
        var doc = Doc.Replace("| `alerts` | `site`, `rig`, `id` |", "| `alerts` | `site`, `rig` |", StringComparison.Ordinal);
        Assert.Equal(["tag of alerts 'id' is in the schema but not documented"], Differences(doc));
    }

    [Fact]
    public void Doc_WithAnUnknownRetentionPolicy_Differs()
    {
        var doc = Doc.Replace("| `waveform_raw` |", "| `waveforms` |", StringComparison.Ordinal);
        Assert.Equal(["retention policy 'waveforms' is documented but not in the schema", "retention policy 'waveform_raw' is in the schema but not documented"], Differences(doc));
    }
}
