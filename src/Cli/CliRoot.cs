using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Fieldlab.Cli.Bench;
using Fieldlab.Cli.Chaos;
using Fieldlab.Cli.Eval;
using Fieldlab.Cli.Load;

namespace Fieldlab.Cli;

/// <summary>The whole command line: one parser for every command, and the exit codes scripts rely on.</summary>
public static class CliRoot
{
    /// <summary>The command did what it measures or evaluates.</summary>
    public const int Success = 0;

    /// <summary>The command failed (an exception, or a chaos run that lost or duplicated rows).</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    // Help shows this name wherever the program is hosted (tests run it inside testhost).
    private const string Name = "Fieldlab.Cli";

    // '@file' is an ordinary word (a folder may start with '@'), as it was before System.CommandLine.
    private static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    /// <summary>The root command with every command group.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("Fieldlab's measurements, evaluations and administration; the last line of each command is key=value.")
        {
            BenchCommand.Create(),
            EvalCommand.Create(),
            ChaosCommand.Create(),
            LoadgenCommand.Create(),
            Access.ProvisionCommand.Create(),
            Access.CredentialsCommand.Create(),
            Datasets.DatasetCommand.Create(),
            Datasets.ReplayCommand.Create(),
        };
        foreach (var command in Access.TenancyCommands.Create()) root.Subcommands.Add(command);
        foreach (var command in Backup.BackupCommand.Create()) root.Subcommands.Add(command);
        root.HelpName = Name;
        return root;
    }

    /// <summary>Parses <paramref name="args"/> without running anything.</summary>
    public static ParseResult Parse(IReadOnlyList<string> args) => Create().Parse(args, Parser);

    /// <summary>Parses and runs a command line; returns the exit code (<see cref="Success"/>, <see cref="Failure"/>,
    /// <see cref="Usage"/>, <see cref="Cancelled"/>).</summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parse = Parse(args);
        // --help clears parse errors (its action is then the help); anything else with errors is a usage error. The
        // default error action would exit with 1, which scripts read as "the measurement failed".
        if (parse.Action is ParseErrorAction)
        {
            foreach (var e in parse.Errors) error.WriteLine(e.Message);
            error.WriteLine($"See '{CommandPath(parse.CommandResult)} --help'.");
            return Usage;
        }
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Exceptions are reported below, one line each; Ctrl-C is the caller's token, so that servers started for
            // a run are stopped on the way out rather than the process ending after a timeout.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (UsageException e)
        {
            error.WriteLine(e.Message);
            return Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("cancelled");
            return Cancelled;
        }
        catch (Exception e)
        {
            // Servers started for the run were stopped on the way out (await using); report and fail.
            error.WriteLine($"fieldlab: {e.GetType().Name}: {e.Message}");
            return Failure;
        }
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new Stack<string>();
        for (SymbolResult? r = command; r is CommandResult c; r = c.Parent) names.Push(c.Command is RootCommand ? Name : c.Command.Name);
        return string.Join(' ', names);
    }
}
