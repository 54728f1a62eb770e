using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Fieldlab.LocalServers;
using Fieldlab.Testing;

namespace Fieldlab.Deploy.Tests.Compose;

/// <summary>deploy/compose/provision.sh (the compose file's one-shot) run with the built CLI against a real InfluxDB:
/// what it does in the container, with the container's paths and host names swapped for the test's.</summary>
public sealed class ProvisionScriptTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task ProvisionScript_AgainstRealInfluxDb_GivesGrafanaAReadOnlyUserAndRotatesItsPassword()
    {
        await using var influx = await LocalInfluxDb.StartNewAsync();
        using var state = new TempDirectory("fieldlab-provision");
        // The InfluxDB admin exists already (LocalInfluxDb made it): the secrets hold its password, as after a first run.
        var secrets = Directory.CreateDirectory(state.File("secrets")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secrets, "influx-admin.password"), influx.AdminPassword + "\n");
        // A quote and a backslash: the script must escape them in the InfluxQL string literal.
        const string first = @"it's a \ first";
        const string second = "second-password";

        var run = await RunAsync(state.Path, influx.Url, first);
        Assert.True(run.ExitCode == 0, run.Output);
        var token = Path.Combine(state.Path, "scrape", "scrape.token");
        Assert.EndsWith($"provision grafana_user=grafana scrape_token={token}", run.Output.TrimEnd(), StringComparison.Ordinal);
        // Prometheus's credential: long enough for the services' Scrape:TokenFile check, kept across runs.
        var credential = await File.ReadAllTextAsync(token);
        Assert.True(credential.Trim().Length >= 16, credential);

        Assert.Equal(HttpStatusCode.OK, await QueryAsync(influx.Url, "grafana", first));
        Assert.Equal(HttpStatusCode.Forbidden, await WriteAsync(influx.Url, "grafana", first));
        Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(influx.Url, "ingest", (await File.ReadAllTextAsync(Path.Combine(secrets, "influx-ingest.password"))).Trim()));

        var again = await RunAsync(state.Path, influx.Url, second);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(HttpStatusCode.Unauthorized, await QueryAsync(influx.Url, "grafana", first));
        Assert.Equal(HttpStatusCode.OK, await QueryAsync(influx.Url, "grafana", second));
        Assert.Equal(credential, await File.ReadAllTextAsync(token));
    }

    [Fact]
    public async Task ProvisionScript_WithoutTheGrafanaPassword_FailsAndSaysWhichVariable()
    {
        await using var influx = await LocalInfluxDb.StartNewAsync();
        using var state = new TempDirectory("fieldlab-provision");
        var secrets = Directory.CreateDirectory(state.File("secrets")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secrets, "influx-admin.password"), influx.AdminPassword + "\n");

        var run = await RunAsync(state.Path, influx.Url, grafanaPassword: null);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("FIELDLAB_GRAFANA_INFLUX_PASSWORD", run.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string state, string influxUrl, string? grafanaPassword)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryRoot.File("deploy", "compose", "provision.sh"));
        start.Environment["FIELDLAB_STATE"] = state;
        start.Environment["FIELDLAB_INFLUX_URL"] = influxUrl;
        start.Environment["FIELDLAB_SCRAPE_DIR"] = Path.Combine(state, "scrape");
        start.Environment["FIELDLAB_CLI"] = "dotnet " + ServiceProcess.AssemblyPath("Cli", typeof(ProvisionScriptTests).Assembly);
        // No broker runs: the access files are written for it to read when it starts (as in compose, where it starts after).
        start.Environment["FIELDLAB_MQTT_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment.Remove("FIELDLAB_METADATA_PROVIDER");
        start.Environment.Remove("FIELDLAB_METADATA_CONNECTION");
        if (grafanaPassword is null) start.Environment.Remove("FIELDLAB_GRAFANA_INFLUX_PASSWORD");
        else start.Environment["FIELDLAB_GRAFANA_INFLUX_PASSWORD"] = grafanaPassword;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<HttpStatusCode> QueryAsync(string url, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/query?db=fieldlab")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = "SHOW MEASUREMENTS" }),
        };
        return await SendAsync(request, user, password);
    }

    private static async Task<HttpStatusCode> WriteAsync(string url, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/write?db=fieldlab") { Content = new StringContent("provision_test value=1") };
        return await SendAsync(request, user, password);
    }

    private static async Task<HttpStatusCode> SendAsync(HttpRequestMessage request, string user, string password)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }
}
