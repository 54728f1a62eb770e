using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Telemetry.Tests.Schema;

public sealed class FieldlabSchemaTests
{
    [Fact]
    public void Measurements_AreUniqueByPolicyAndName_AndNoNameIsBothTagAndField()
    {
        Assert.Equal(FieldlabSchema.Measurements.Count, FieldlabSchema.Measurements.Select(m => m.ToString()).Distinct().Count());
        foreach (var m in FieldlabSchema.Measurements)
        {
            Assert.Equal(m.Tags.Count, m.Tags.Distinct().Count());
            Assert.Equal(m.Fields.Count, m.Fields.Select(f => f.Name).Distinct().Count());
            Assert.DoesNotContain(m.Tags, t => m.Fields.Any(f => !f.IsPattern && f.Name == t));
            Assert.Contains(m.RetentionPolicy, FieldlabSchema.RetentionPolicies);
        }
    }

    [Fact]
    public void Find_TakesTheDefaultPolicyForNullOrAutogen_AndNeedsTheRightPolicyOtherwise()
    {
        Assert.Same(FieldlabSchema.Alerts, FieldlabSchema.Find("alerts"));
        Assert.Same(FieldlabSchema.Alerts, FieldlabSchema.Find("alerts", "autogen"));
        Assert.Same(FieldlabSchema.Waveform, FieldlabSchema.Find("waveform", "waveform_raw"));
        Assert.Null(FieldlabSchema.Find("waveform"));
        Assert.Null(FieldlabSchema.Find("alert"));
    }

    [Fact]
    public void Patterns_MatchFieldsNamedAfterSensors_AndNothingElse()
    {
        Assert.True(FieldlabSchema.Anomaly.HasField("share_flow"));
        Assert.False(FieldlabSchema.Anomaly.HasField("share_"));
        Assert.False(FieldlabSchema.Anomaly.HasField("flow"));
        Assert.True(FieldlabSchema.Samples.HasField("discharge_pressure"));
        Assert.Equal("share_flow", FieldlabSchema.Anomaly.Fields.Single(f => f.IsPattern).For("flow"));
    }

    [Fact]
    public void FieldAndTag_OfANameTheSchemaLacks_ThrowClearly()
    {
        var e = Assert.Throws<ArgumentException>(() => FieldlabSchema.Alerts.Field("scroe"));
        Assert.Contains("Measurement 'alerts' has no field 'scroe'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => FieldlabSchema.Alerts.Tag("stream"));
        Assert.Throws<ArgumentException>(() => FieldlabSchema.Alerts.FieldKey("stream"));
        Assert.Equal("id", FieldlabSchema.Alerts.Tag("id"));
    }

    [Fact]
    public void QuotedName_NamesThePolicyOutsideTheDefault()
    {
        Assert.Equal("\"alerts\"", FieldlabSchema.Alerts.QuotedName);
        Assert.Equal("\"waveform_raw\".\"waveform\"", FieldlabSchema.Waveform.QuotedName);
        Assert.Null(FieldlabSchema.Alerts.ExplicitRetentionPolicy);
        Assert.Equal("waveform_raw", FieldlabSchema.Waveform.ExplicitRetentionPolicy);
    }

    [Fact]
    public void FieldKey_WritesTheSchemasName()
    {
        var writer = new LineProtocolWriter(256);
        writer.BeginPoint(FieldlabSchema.Alerts.LineName).Tag(FieldlabSchema.Alerts.FieldKey("id"), LineProtocolName.TagValue("bearing"))
            .Field(FieldlabSchema.Alerts.FieldKey("score"), 1.5).EndPoint(1);
        Assert.Equal("alerts,id=bearing score=1.5 1\n", System.Text.Encoding.UTF8.GetString(writer.WrittenMemory.Span));
    }
}
