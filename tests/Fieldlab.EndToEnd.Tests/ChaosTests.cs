using Fieldlab.Cli.Chaos;

namespace Fieldlab.EndToEnd.Tests;

/// <summary>The chaos run of <c>./fieldlab chaos</c>, with the long outages shortened tenfold: every scenario must end
/// with every produced row stored exactly once. It starts its own broker, database, proxy, replicas and gateway.</summary>
public sealed class ChaosTests
{
    [Fact]
    public async Task EveryFailureScenario_EndsWithNothingLostAndNothingDuplicated()
    {
        var output = new StringWriter();
        var total = await new ChaosRun(new ChaosOptions(Scale: 0.1, RateHz: 100), output).RunAsync(CancellationToken.None);
        Assert.True(total.Lost == 0 && total.Duplicates == 0, output.ToString());
        Assert.True(total.Published > 5_000, output.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("chaos scenario=", StringComparison.Ordinal)).ToList();
        Assert.Equal(["mosquitto-sigterm", "mosquitto-sigkill", "influxdb-stopped", "ingest-sigkill", "gateway-cut-off", "replica-killed"],
            lines.Select(l => l.Split(' ')[1]["scenario=".Length..]));
        Assert.All(lines, l => Assert.Contains(" lost=0 duplicates=0", l));
    }
}
