using Fieldlab.LocalServers;

namespace Fieldlab.Deploy.Tests.Systemd;

public sealed class SystemdUnitsTests
{
    [SystemdAnalyzeFact]
    public void Units_AndDropIns_PassSystemdAnalyzeVerifyWithoutWarnings()
    {
        var warnings = SystemdAnalyze.Verify();

        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
    }

    [SystemdAnalyzeTheory]
    [InlineData("fieldlab-ingest.service", "Restart=on-failure", "Restrat=on-failure", "Unknown key 'Restrat'")]
    [InlineData("fieldlab-api.service", "ExecStart=/usr/bin/dotnet ", "ExecStart=/opt/fieldlab/missing/dotnet ", "is not executable")]
    [InlineData("fieldlab-gateway.service", "ProtectSystem=strict", "ProtectSystem=very", "Failed to parse protect system value")]
    [InlineData("fieldlab-provision.service", "Type=oneshot", "Type=oneshoot", "Failed to parse service type")]
    [InlineData("mosquitto/fieldlab.conf", "ExecStart=/usr/sbin/mosquitto ", "ExecStart=/usr/sbin/mosquito ", "is not executable")]
    public void Units_BrokenCopy_GetsAWarning(string file, string original, string broken, string expected)
    {
        var warnings = SystemdAnalyze.Verify((name, text) =>
        {
            if (name != file) return text;
            Assert.Contains(original, text, StringComparison.Ordinal);
            return text.Replace(original, broken, StringComparison.Ordinal);
        });

        Assert.Contains(warnings, w => w.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fieldlab-ingest.service")]
    [InlineData("fieldlab-api.service")]
    [InlineData("fieldlab-gateway.service")]
    [InlineData("fieldlab-provision.service")]
    public void Unit_IsSupervisedAndConfined(string unit)
    {
        var lines = File.ReadAllLines(RepositoryRoot.File("deploy", "systemd", unit)).Select(l => l.Trim()).ToHashSet();

        // Restarted on failure (a one-shot is started again by whoever needs it), confined, and configured from /etc/fieldlab.
        if (!lines.Contains("Type=oneshot")) Assert.Contains("Restart=on-failure", lines);
        Assert.Superset(new HashSet<string> { "User=fieldlab", "ProtectSystem=strict", "ProtectHome=yes", "NoNewPrivileges=yes", "PrivateTmp=yes" }, lines);
        Assert.Contains(lines, l => l.StartsWith("EnvironmentFile=/etc/fieldlab/", StringComparison.Ordinal) && l.EndsWith(".env", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("StateDirectory=fieldlab", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("After=", StringComparison.Ordinal) && l.Contains("network-online.target", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Wants=", StringComparison.Ordinal) && l.Contains("network-online.target", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fieldlab-ingest.service", "ingest.env")]
    [InlineData("fieldlab-api.service", "api.env")]
    [InlineData("fieldlab-gateway.service", "gateway.env")]
    [InlineData("fieldlab-provision.service", "provision.env")]
    public void Unit_EnvironmentFile_IsShippedInDeploySystemdEnv(string unit, string env)
    {
        Assert.Contains($"EnvironmentFile=/etc/fieldlab/{env}", File.ReadAllText(RepositoryRoot.File("deploy", "systemd", unit)), StringComparison.Ordinal);
        Assert.True(File.Exists(RepositoryRoot.File("deploy", "systemd", "env", env)), $"deploy/systemd/env/{env} is missing");
    }
}
