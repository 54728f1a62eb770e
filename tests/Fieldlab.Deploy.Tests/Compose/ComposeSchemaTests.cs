namespace Fieldlab.Deploy.Tests.Compose;

public sealed class ComposeSchemaTests
{
    [Fact]
    public void ComposeYaml_Interpolated_IsValidAgainstTheComposeSpecification()
    {
        var problems = ComposeSchema.Problems(ComposeFile.Current().Parse().Root);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("    restart: unless-stopped\n    # Ingest drains", "    restart: unless-stopped\n    restrat: always\n    # Ingest drains", "/services/ingest")]
    [InlineData("      interval: 15s\n      timeout: 5s\n      retries: 5\n      start_period: 10s", "      interval: 15s\n      timeout: 5s\n      retries: five\n      start_period: 10s", "/services/mosquitto/healthcheck/retries")]
    [InlineData("        condition: service_completed_successfully\n      mosquitto:\n        condition: service_healthy\n      influxdb:", "        condition: service_completed_successfully\n      mosquitto:\n        condition: when_ready\n      influxdb:", "/services/ingest/depends_on")]
    [InlineData("volumes:\n  # Generated secrets", "volumes: [secrets]\nx-old-volumes:\n  # Generated secrets", "/volumes")]
    public void ComposeYaml_BrokenCopy_FailsTheSchemaWhereItIsBroken(string original, string broken, string location)
    {
        var problems = ComposeSchema.Problems(ComposeFile.Current().Replace(original, broken).Parse().Root);

        Assert.NotEmpty(problems);
        Assert.Contains(problems, p => p.StartsWith(location, StringComparison.Ordinal));
    }
}
