using System.CommandLine;

namespace Fieldlab.Cli.Chaos;

/// <summary><c>chaos [--scale S] [--rate R]</c>: the failure scenarios against a running load, audited row by row.</summary>
internal static class ChaosCommand
{
    /// <summary>The <c>chaos</c> command.</summary>
    public static Command Create()
    {
        var defaults = new ChaosOptions();
        var scale = new Option<double>("--scale") { Description = "Multiplies the outages' durations; 1 is the full length", DefaultValueFactory = _ => defaults.Scale };
        var rate = new Option<double>("--rate") { Description = "Rows per second per simulated rig", DefaultValueFactory = _ => defaults.RateHz };
        var command = new Command("chaos", "The failure scenarios of docs/reliability.md against a running load. Last line: chaos published=N stored=N lost=0 duplicates=0")
        {
            scale, rate,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var total = await new ChaosRun(new ChaosOptions(result.GetValue(scale), result.GetValue(rate)), output).RunAsync(cancellationToken);
            output.WriteLine(total.ToLine());
            // Any row lost or stored twice fails the run.
            return total.Lost == 0 && total.Duplicates == 0 ? CliRoot.Success : CliRoot.Failure;
        });
        return command;
    }
}
