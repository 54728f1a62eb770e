using System.Text.Json.Nodes;

namespace Fieldlab.Deploy.Tests.Compose;

public sealed class ComposeRulesTests
{
    [Fact]
    public void ComposeYaml_PassesEveryFieldlabRule()
    {
        var problems = ComposeFile.Current().RuleProblems();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void ComposeYaml_WithTheExampleEnvAsItIs_IsRefusedForTheMissingSecret()
    {
        var file = ComposeFile.Current();

        var refused = Assert.Throws<ComposeInterpolationException>(() => ComposeDocument.Parse(file.Text, ComposeFile.Directory, file.EnvExample.Values));

        Assert.Contains("FIELDLAB_", refused.Message, StringComparison.Ordinal);
        Assert.Contains("in .env", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComposeYaml_EveryFieldlabServiceWaitsForTheProvisioning()
    {
        var compose = ComposeFile.Current().Parse();

        Assert.Equal(["provision"], ComposeRules.OneShots(compose));
        foreach (var name in new[] { "mosquitto", "ingest", "api", "gateway", "grafana" })
        {
            var condition = compose.Root["services"]![name]!["depends_on"]?["provision"]?["condition"]?.GetValue<string>();
            Assert.True(condition == "service_completed_successfully", $"{name} does not wait for provision (condition: {condition ?? "none"})");
        }
    }

    [Theory]
    [InlineData("ingest", "healthcheck", "ingest: no healthcheck")]
    [InlineData("influxdb", "restart", "influxdb: no restart policy")]
    public void Rules_ServiceWithoutAKey_IsReported(string service, string key, string expected)
    {
        var compose = ComposeFile.Current().Parse();
        Assert.True(((JsonObject)compose.Root["services"]![service]!).Remove(key));

        Assert.Contains(expected, Problems(compose));
    }

    [Theory]
    [InlineData("api", "healthcheck", """{"disable": true}""", "api: healthcheck disabled")]
    [InlineData("api", "restart", "\"no\"", "api: a long-running service must restart (always, unless-stopped, on-failure), has 'no'")]
    [InlineData("provision", "restart", "\"always\"", "provision: a one-shot must not restart (restart: \"no\"), has 'always'")]
    [InlineData("ingest", "depends_on", """{"influx": {"condition": "service_healthy"}}""", "ingest: depends_on names no service 'influx'")]
    [InlineData("grafana", "depends_on", """["provision", "postgress"]""", "grafana: depends_on names no service 'postgress'")]
    [InlineData("api", "pid", "\"service:broker\"", "api: pid names no service 'broker'")]
    [InlineData("ingest", "volumes", """["spool:/var/lib/fieldlab/ingest"]""", "ingest: volume 'spool' is not declared under volumes")]
    [InlineData("grafana", "ports", """["3000:3000"]""", "grafana: port '3000:3000' is published on 0.0.0.0, not 127.0.0.1")]
    [InlineData("api", "ports", """["0.0.0.0:5180:8080"]""", "api: port '0.0.0.0:5180:8080' is published on 0.0.0.0, not 127.0.0.1")]
    public void Rules_ServiceWithABrokenValue_IsReported(string service, string key, string json, string expected)
    {
        var compose = ComposeFile.Current().Parse();
        compose.Root["services"]![service]![key] = JsonNode.Parse(json);

        Assert.Contains(expected, Problems(compose));
    }

    [Fact]
    public void Rules_UndeclaredTopLevelVolume_IsReported()
    {
        var compose = ComposeFile.Current().Parse();
        Assert.True(((JsonObject)compose.Root["volumes"]!).Remove("postgres"));

        Assert.Contains("postgres: volume 'postgres' is not declared under volumes", Problems(compose));
    }

    [Theory]
    [InlineData("./mosquitto/mosquitto.conf:", "./mosquitto/mosquitto.cnf:", "mosquitto: mounted path './mosquitto/mosquitto.cnf' does not exist")]
    [InlineData("dockerfile: deploy/docker/api.Dockerfile", "dockerfile: deploy/docker/apy.Dockerfile", "api: Dockerfile")]
    [InlineData("${FIELDLAB_INGEST_PORT:-5181}", "${FIELDLAB_INGEST_PROT:-5181}", "${FIELDLAB_INGEST_PROT} is used but not listed in .env.example")]
    [InlineData("${FIELDLAB_GRAFANA_ADMIN_PASSWORD:?set FIELDLAB_GRAFANA_ADMIN_PASSWORD in .env}", "${FIELDLAB_GRAFANA_ADMIN_PASSWORD:-admin}",
        "the secret FIELDLAB_GRAFANA_ADMIN_PASSWORD is used without ':?'")]
    [InlineData("\"127.0.0.1:${FIELDLAB_MQTT_PORT:-1883}:1883\"", "\"${FIELDLAB_MQTT_PORT:-1883}:1883\"", "mosquitto: port '1883:1883' is published on 0.0.0.0")]
    public void Rules_BrokenCopyOfComposeYaml_IsReported(string original, string broken, string expected)
    {
        var problems = ComposeFile.Current().Replace(original, broken).RuleProblems();

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Rules_EnvExampleThatFillsInASecret_IsReported()
    {
        var problems = ComposeFile.Current().ReplaceInEnvExample("FIELDLAB_POSTGRES_PASSWORD=\n", "FIELDLAB_POSTGRES_PASSWORD=hunter2\n").RuleProblems();

        Assert.Contains(".env.example fills in the secret FIELDLAB_POSTGRES_PASSWORD", problems);
    }

    [Fact]
    public void Rules_EnvExampleWithoutAVariable_IsReported()
    {
        var problems = ComposeFile.Current().ReplaceInEnvExample("FIELDLAB_PROMETHEUS_RETENTION=90d\n", "").RuleProblems();

        Assert.Contains("${FIELDLAB_PROMETHEUS_RETENTION} is used but not listed in .env.example", problems);
    }

    private static IReadOnlyList<string> Problems(ComposeDocument compose) =>
        ComposeRules.All(compose, ComposeFile.Current().Text, ComposeFile.Current().EnvExample, Fieldlab.LocalServers.RepositoryRoot.Path);
}
