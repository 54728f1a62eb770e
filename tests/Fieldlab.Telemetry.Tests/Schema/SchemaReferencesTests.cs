using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Telemetry.Tests.Schema;

public sealed class SchemaReferencesTests
{
    [Theory]
    [InlineData("SELECT \"flow\" FROM \"samples_raw\".\"samples\" WHERE \"site\" = 'techport' AND \"rig\" = 'pump-1' AND time > now() - 15m")]
    [InlineData("SELECT mean(\"motor_power\") FROM samples_raw.samples, samples WHERE rig = 'pump-1' AND time > now() - 1h GROUP BY time(1m)")]
    [InlineData("SELECT sum(\"sum_flow\") / sum(\"count_flow\") FROM \"means_1h\".\"samples\" WHERE \"rig\" = 'pump-1' GROUP BY time(1d)")]
    [InlineData("SELECT count(\"bytes\") FROM \"rejects\" WHERE time > now() - 1d GROUP BY \"reason\"")]
    [InlineData("SELECT mean(\"score\") AS \"score\", max(\"limit\") FROM \"anomaly\" WHERE \"rig\" =~ /^$rig$/ AND $timeFilter GROUP BY time($__interval), \"stream\" fill(null)")]
    [InlineData("SELECT count(\"data\"), last(\"rate_hz\") FROM \"fieldlab\".\"waveform_raw\".\"waveform\" WHERE \"axis\" = 'x'")]
    [InlineData("SELECT \"count\" FROM \"waveform_raw\".\"waveform\"")]
    [InlineData("SELECT last(\"state\") FROM \"autogen\".\"alerts\" WHERE \"id\" = 'bearing'; SELECT \"energy_kw\" / 1000 FROM \"energy\"")]
    [InlineData("SHOW TAG VALUES FROM \"samples_raw\".\"samples\" WITH KEY = \"rig\" WHERE \"site\" = '$site'")]
    [InlineData("SHOW TAG VALUES ON \"fieldlab\" FROM \"vibration_features\" WITH KEY IN (\"axis\", \"stream\")")]
    [InlineData("SELECT mean(\"value\") FROM (SELECT \"flow\" AS \"value\" FROM \"samples_raw\".\"samples\") GROUP BY time(1m)")]
    [InlineData("SELECT \"share_flow\" / 2, \"top_sensors\" FROM \"anomaly\"")]
    [InlineData("SELECT \"score\"::field, \"rig\"::tag FROM \"bearing_health\"")]
    [InlineData("SELECT * FROM /.*/ WHERE \"anything\" = 1")]
    [InlineData("SELECT mean(\"$sensor\") FROM \"samples_raw\".\"samples\" WHERE \"stream\" = '${stream}' -- a Grafana panel\n")]
    [InlineData("SELECT \"velocity_rms_mm_s\", \"iso_zone\" FROM \"vibration_features\" WHERE \"rig\" = 'motor-1' ORDER BY time DESC LIMIT 6")]
    [InlineData("CREATE CONTINUOUS QUERY \"cq\" ON \"fieldlab\" RESAMPLE EVERY 1m FOR 2m BEGIN SELECT mean(*) INTO \"energy\" FROM \"energy\" GROUP BY time(1m), * END")]
    [InlineData("DELETE FROM \"alerts\" WHERE \"site\" = 'lab' AND time < now() - 1d")]
    [InlineData("SELECT \"rows_per_s\" FROM \"ingest_stats\" WHERE \"ingest\" = [[ingest]]")]
    public void Check_QueryOfTheSchema_FindsNothing(string query)
    {
        Assert.Empty(SchemaReferences.Check(query));
    }

    [Theory]
    [InlineData("SELECT \"flow\" FROM \"sampels\"", "measurement 'sampels' is not in the schema")]
    [InlineData("SELECT \"scroe\" FROM \"anomaly\" WHERE time > now() - 1h", "'scroe' is no field or tag of anomaly")]
    [InlineData("SELECT \"data\" FROM \"waveform\"", "measurement 'waveform' is not in the schema")]
    [InlineData("SELECT \"rms\" FROM \"waveform_raw\".\"waveform\"", "'rms' is no field or tag of waveform_raw.waveform")]
    [InlineData("SELECT \"state\" FROM \"waveform_raw\".\"alerts\"", "measurement 'waveform_raw.alerts' is not in the schema")]
    [InlineData("SELECT mean(\"flow\") FROM \"samples_raw\".\"samples\" GROUP BY time(1m), \"pump\"", "'pump' is no tag of samples_raw.samples")]
    [InlineData("SELECT \"flow\" FROM \"samples\"", "'samples' there holds only points from before it moved: read samples_raw.samples")]
    [InlineData("SELECT \"flow\" FROM \"autogen\".\"samples\" WHERE time > now() - 1h", "'samples' there holds only points from before it moved: read samples_raw.samples")]
    [InlineData("SELECT \"mean_flow\" FROM \"means_1m\".\"energy\"", "'mean_flow' is no field or tag of means_1m.energy")]
    [InlineData("SHOW TAG VALUES FROM \"alerts\" WITH KEY = \"kind\"", "'kind' is no tag of alerts")]
    [InlineData("SELECT mean(v) FROM (SELECT \"scroe\" AS v FROM \"anomaly\")", "'scroe' is no field or tag of anomaly")]
    [InlineData("SELECT \"state\" INTO \"means_1m\".\"alerts\" FROM \"alerts\"", "measurement 'means_1m.alerts' is not in the schema")]
    [InlineData("SELECT \"energy_kw\" FROM \"energy\" WHERE \"sensor\" = 'x'", "'sensor' is no field or tag of energy")]
    [InlineData("SELECT last(\"state\") FROM \"alerts\"; SELECT \"rul\" FROM \"energy\"", "'rul' is no field or tag of energy")]
    public void Check_QueryNamingWhatTheSchemaLacks_SaysWhat(string query, string problem)
    {
        Assert.Equal([problem], SchemaReferences.Check(query).Select(p => p.ToString()));
    }

    [Fact]
    public void Check_AFieldOfAnotherMeasurementOfTheStatement_IsFine_ButOfNone_IsNot()
    {
        Assert.Empty(SchemaReferences.Check("SELECT \"score\", \"energy_kw\" FROM \"anomaly\", \"energy\""));
        var problem = Assert.Single(SchemaReferences.Check("SELECT \"rms\" FROM \"anomaly\", \"energy\""));
        Assert.Equal(new SchemaProblem(SchemaProblemKind.FieldOrTag, "rms", "anomaly, energy"), problem);
    }

    [Fact]
    public void Check_EveryUnknownName_IsReportedOnce()
    {
        var problems = SchemaReferences.Check("SELECT \"a\", \"a\", \"b\" FROM \"alerts\" WHERE \"a\" = 1; SELECT x FROM nowhere");
        Assert.Equal(["'a' is no field or tag of alerts", "'b' is no field or tag of alerts", "measurement 'nowhere' is not in the schema"], problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Check_AnotherSchema_IsUsedWhenGiven()
    {
        Assert.Single(SchemaReferences.Check("SELECT \"state\" FROM \"alerts\"", [FieldlabSchema.Energy]));
    }

    [Theory]
    [InlineData("SELECT \"flow FROM samples_raw.samples")]
    [InlineData("SELECT flow FROM samples WHERE rig = 'pump-1")]
    [InlineData("SELECT flow FROM samples WHERE rig =~ /pump")]
    public void Check_TextThatIsNoInfluxQl_ThrowsFormatException(string query)
    {
        Assert.Throws<FormatException>(() => SchemaReferences.Check(query));
    }

    [Fact]
    public void Check_QueryWithEscapedQuotes_ReadsTheIdentifierUnescaped()
    {
        Assert.Equal(["'sc\"ore' is no field or tag of anomaly"], SchemaReferences.Check("SELECT \"sc\\\"ore\" FROM anomaly WHERE rig = 'it\\'s'").Select(p => p.ToString()));
    }
}
