using Fieldlab.Cli;
using Fieldlab.Cli.Bench;
using Fieldlab.Cli.Chaos;
using Fieldlab.Cli.Load;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

try
{
    var command = args.Take(2).ToArray();
    var options = new Arguments(args.Skip(command.Length >= 2 && command[0] is "bench" or "eval" ? 2 : 1));
    return command switch
    {
        ["bench", "ingest", ..] => await IngestBenchmark.RunAsync(options, cancel.Token),
        ["bench", "gateway", ..] => await GatewayBenchmark.RunAsync(options, cancel.Token),
        ["bench", "features", ..] => await FeaturesBenchmark.RunAsync(options, cancel.Token),
        ["eval", "skab", ..] => Fieldlab.Cli.Eval.SkabEvaluation.Run(options, Console.Out),
        ["eval", "cwru", ..] => Fieldlab.Cli.Eval.CwruEvaluation.Run(options, Console.Out),
        ["eval", "cmapss", ..] => Fieldlab.Cli.Eval.CmapssEvaluation.Run(options, Console.Out),
        ["eval", "fuelcell", ..] => Fieldlab.Cli.Eval.FuelCellEvaluation.Run(options, Console.Out),
        ["loadgen", ..] => await LoadGenerator.RunAsync(new Arguments(args.Skip(1)), cancel.Token),
        ["chaos", ..] => await RunChaosAsync(options, cancel.Token),
        _ => throw new UsageException("usage: Fieldlab.Cli bench ingest|gateway|features [options], chaos [--scale S]"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
catch (Exception e)
{
    // Servers started for the run were stopped on the way out (await using); report and fail.
    Console.Error.WriteLine($"fieldlab: {e.GetType().Name}: {e.Message}");
    return 1;
}

static async Task<int> RunChaosAsync(Arguments options, CancellationToken cancellationToken)
{
    var chaos = new ChaosOptions(options.Double("scale", 1), options.Double("rate", 200));
    options.RejectUnknown();
    var total = await new ChaosRun(chaos, Console.Out).RunAsync(cancellationToken);
    Console.WriteLine(total.ToLine());
    return total.Lost == 0 && total.Duplicates == 0 ? 0 : 1;
}
