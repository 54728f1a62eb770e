using Fieldlab.Testing.Dashboards;

namespace Fieldlab.Dashboards.Tests;

/// <summary>The macro substitution the live dashboard test relies on does what Grafana documents.</summary>
public sealed class GrafanaMacrosTests
{
    private static readonly DateTimeOffset From = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000);
    private static readonly DateTimeOffset To = From.AddHours(1);

    [Fact]
    public void TimeFilterAndIntervals_BecomeWhatTheInfluxDbDataSourceSends()
    {
        var text = GrafanaMacros.Expand("SELECT mean(x) FROM s WHERE $timeFilter GROUP BY time($__interval) LIMIT $__interval_ms", From, To, TimeSpan.FromSeconds(10), new Dictionary<string, VariableValue>());
        Assert.Equal("SELECT mean(x) FROM s WHERE time >= 1764000000000ms and time <= 1764003600000ms GROUP BY time(10s) LIMIT 10000", text);
    }

    [Theory]
    [InlineData(500, "500ms")]
    [InlineData(10_000, "10s")]
    [InlineData(90_000, "1m")]
    [InlineData(3_600_000, "1h")]
    [InlineData(172_800_000, "2d")]
    public void Interval_IsWrittenInItsLargestWholeUnit(long ms, string expected) =>
        Assert.Equal(expected, GrafanaMacros.Interval(TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void Variables_AreSubstitutedInEveryNotation_AndMultiValuesBecomeAnEscapedAlternation()
    {
        var variables = new Dictionary<string, VariableValue>
        {
            ["site"] = VariableValue.Single("techport"),
            ["rig"] = new(["pump-1", "motor.1"], MultiOrAll: true),
            ["all"] = new(["x"], MultiOrAll: true, AllValue: ".*"),
        };
        var text = GrafanaMacros.Expand("'$site' '${site}' '[[site]]' /^$rig$/ /^$all$/", From, To, TimeSpan.FromSeconds(1), variables);
        Assert.Equal(@"'techport' 'techport' 'techport' /^(pump-1|motor\.1)$/ /^.*$/", text);
    }

    [Fact]
    public void AnUnknownVariable_IsAnError_NotLeftInTheQuery()
    {
        var error = Assert.Throws<ArgumentException>(() => GrafanaMacros.Expand("WHERE rig = '$machine'", From, To, TimeSpan.FromSeconds(1), new Dictionary<string, VariableValue>()));
        Assert.Contains("$machine", error.Message);
    }
}
