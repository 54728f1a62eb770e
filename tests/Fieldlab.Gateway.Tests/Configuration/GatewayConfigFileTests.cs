using Fieldlab.Gateway.Configuration;

namespace Fieldlab.Gateway.Tests.Configuration;

public sealed class GatewayConfigFileTests
{
    private const string Valid = """
        site: techport
        rig: pump-1
        broker:
          host: 127.0.0.1
          port: 21883
        simulation:
          kind: pump
          seed: 42
          rate_hz: 10
        publish:
          batch_interval: 500ms
          max_rows_per_batch: 200
        """;

    [Fact]
    public void ValidFile_IsReadWithSnakeCaseKeysAndDurations()
    {
        var config = GatewayConfigFile.Parse(Valid, "pump-1.yaml");
        Assert.Equal("techport", config.Site);
        Assert.Equal("gw-pump-1", config.GatewayId);
        Assert.Equal(21883, config.Broker.Port);
        Assert.Equal(10, config.Simulation!.RateHz);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.Publish.BatchInterval);
        Assert.Equal(200, config.Publish.MaxRowsPerBatch);
    }

    [Fact]
    public void UnknownKey_FailsWithFileLineAndKey()
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayConfigFile.Parse(Valid.Replace("rate_hz: 10", "rate_hzz: 10"), "pump-1.yaml"));
        Assert.Contains("pump-1.yaml", error.Message);
        Assert.Contains("line 9", error.Message);
        Assert.Contains("rate_hzz", error.Message);
    }

    [Theory]
    [InlineData("site: techport", "site: Tech Port", "site:")]
    [InlineData("port: 21883", "port: 0", "broker.port")]
    [InlineData("kind: pump", "kind: toaster", "simulation.kind")]
    [InlineData("rate_hz: 10", "rate_hz: -1", "simulation.rate_hz")]
    [InlineData("max_rows_per_batch: 200", "max_rows_per_batch: 20000", "publish.max_rows_per_batch")]
    public void InvalidValue_FailsNamingTheKey(string good, string bad, string key)
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayConfigFile.Parse(Valid.Replace(good, bad), "x.yaml"));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void BadDuration_FailsWithItsLine()
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayConfigFile.Parse(Valid.Replace("500ms", "soon"), "x.yaml"));
        Assert.Contains("line 11", error.Message);
        Assert.Contains("soon", error.Message);
    }

    [Fact]
    public void MissingSource_IsReported()
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayConfigFile.Parse("site: a\nrig: b\n", "x.yaml"));
        Assert.Contains("simulation", error.Message);
    }

    [Fact]
    public void EveryShippedTemplate_IsValidOnceRendered()
    {
        var dir = Path.Combine(Fieldlab.LocalServers.RepositoryRoot.Path, "deploy", "local", "gateways");
        var templates = Directory.GetFiles(dir, "*.yaml.template");
        Assert.Equal(["electrolyser-1", "fuelcell-1", "motor-1", "pump-1"], templates.Select(t => Path.GetFileName(t).Split('.')[0]).Order());
        // Each rig logs in as its own broker user with a password file, as ./fieldlab up renders it.
        var secrets = Path.Combine(Path.GetTempPath(), $"fieldlab-template-secrets-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(secrets, "mqtt"));
        try
        {
            foreach (var template in templates)
            {
                var rig = Path.GetFileName(template).Split('.')[0];
                File.WriteAllText(Path.Combine(secrets, "mqtt", $"gw.techport.{rig}.password"), "secret\n");
                var config = GatewayConfigFile.Parse(File.ReadAllText(template).Replace("@MQTT_PORT@", "21883").Replace("@DATA_DIR@", "/tmp/fieldlab-template-check")
                    .Replace("@SECRETS_DIR@", secrets), template);
                Assert.Equal($"gw.techport.{rig}", config.Broker.Username);
                Assert.Equal("secret", config.Broker.EffectivePassword);
                Assert.NotNull(GatewayHost.CreateRig(config));
            }
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }
}
