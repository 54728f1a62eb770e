using System.CommandLine;
using Fieldlab.Access.Broker;
using Fieldlab.Cli.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Fieldlab.Cli.Datasets;

/// <summary><c>replay ID [--speed N]</c>: replays a dataset into a new sandbox (<see cref="SandboxReplay"/>), the
/// gateways logged in with the passwords the local store's key gives. Last line: <c>replay site=SANDBOX rows=N</c>.</summary>
internal static class ReplayCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The dataset's id (ds-…)" };
        var speed = new Option<double>("--speed") { Description = "Times real time, 1 to 100", DefaultValueFactory = _ => 10 };
        var version = new Option<int?>("--version") { Description = "The version (default: the newest)" };
        var schoolClass = new Option<string?>("--class") { Description = "The class whose students see the sandbox (default: instructors only)" };
        var hours = new Option<double?>("--hours") { Description = "How long the sandbox lives (default: the API's, 4 h)" };
        var state = AccessOptions.State();
        var mqttPort = AccessOptions.MqttPort();
        var api = DatasetCommand.Api();
        var who = DatasetCommand.As();
        var command = new Command("replay", "Replays a dataset into a new sandbox site (lab-…) as live rigs. Last line: replay site=SANDBOX rows=N")
        {
            id, speed, version, schoolClass, hours, state, mqttPort, api, who,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            string stateDir = result.GetValue(state)!;
            using var http = await ApiCall.ClientAsync(stateDir, result.GetValue(api)!, result.GetValue(who)!, cancellationToken, "replay command", TimeSpan.FromHours(36));
            await using var access = await AccessContext.OpenAsync(stateDir, result.GetValue(mqttPort), cancellationToken);
            // The replay gateways' warnings (refused publishes or subscriptions, lost connections) go to stderr: stdout
            // keeps the progress lines and the last key=value line.
            using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true)
                .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            var replay = new SandboxReplay(http, async (rig, ct) =>
            {
                var user = PrincipalNames.Gateway(rig);
                int generation = await access.Db.Rigs.Where(r => r.SiteId == rig.Site && r.RigId == rig.Rig).Select(r => r.GatewayKeyGeneration).FirstAsync(ct);
                return (user, access.Passwords.For(user, generation));
            }, result.GetValue(mqttPort), Path.Combine(Path.GetFullPath(stateDir), "sandboxes"))
            {
                Output = result.InvocationConfiguration.Output, Loggers = loggers,
            };
            var (site, rows) = await replay.RunAsync(result.GetValue(id)!, result.GetValue(version), result.GetValue(speed), result.GetValue(schoolClass), result.GetValue(hours), cancellationToken);
            result.InvocationConfiguration.Output.WriteLine($"replay site={site} rows={rows}");
            return CliRoot.Success;
        });
        return command;
    }
}
