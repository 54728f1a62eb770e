using System.CommandLine;

namespace Fieldlab.Cli.Eval;

/// <summary><c>eval skab|cwru|cmapss|fuelcell</c>: the models scored on public data sets by each one's protocol.</summary>
internal static class EvalCommand
{
    /// <summary>The <c>eval</c> command and its subcommands.</summary>
    public static Command Create() => new("eval", "Score the models on a public data set by its protocol; the last line is key=value.")
    {
        Skab(),
        Cwru(),
        Cmapss(),
        FuelCell(),
    };

    private static Command Skab()
    {
        var defaults = new SkabSettings(Directory: "");
        var dir = Directory("The folder searched (recursively) for SKAB-format files");
        var trainRows = new Option<int>("--train-rows") { Description = "Rows at the start of each file that fit the detector", DefaultValueFactory = _ => defaults.TrainRows };
        var raise = new Option<int>("--raise") { Description = "Consecutive outlying rows that raise an alarm", DefaultValueFactory = _ => defaults.Raise };
        var clear = new Option<int>("--clear") { Description = "Consecutive normal rows that clear it", DefaultValueFactory = _ => defaults.Clear };
        var window = new Option<double>("--nab-window") { Description = "NAB window to the right of each change point, in seconds", DefaultValueFactory = _ => defaults.NabWindowSeconds };
        var quantile = new Option<double>("--quantile") { Description = "Quantile of the training scores that sets each threshold", DefaultValueFactory = _ => defaults.Quantile };
        var margin = new Option<double>("--margin") { Description = "Factor on that threshold", DefaultValueFactory = _ => defaults.Margin };
        var command = new Command("skab", "Anomaly detectors on SKAB-format files by SKAB's protocol. Last line: skab f1=F far=X mar=Y nab=N")
        {
            dir, trainRows, raise, clear, window, quantile, margin,
        };
        command.SetAction(result => SkabEvaluation.Run(new SkabSettings(result.GetRequiredValue(dir))
        {
            TrainRows = result.GetValue(trainRows),
            Raise = result.GetValue(raise),
            Clear = result.GetValue(clear),
            NabWindowSeconds = result.GetValue(window),
            Quantile = result.GetValue(quantile),
            Margin = result.GetValue(margin),
        }, result.InvocationConfiguration.Output));
        return command;
    }

    private static Command Cwru()
    {
        var defaults = new CwruSettings(TrainDirectory: "");
        // The training folder may be named by --train or given as the first word, as the hand-written parser took it.
        var dir = new Argument<string?>("DIR") { Description = "The training folder, when --train is not given", Arity = ArgumentArity.ZeroOrOne };
        var train = new Option<string>("--train") { Description = "Recordings to train on (and, without --test, to test on: split in time)", HelpName = "DIR" };
        var test = new Option<string>("--test") { Description = "Recordings that only test, e.g. at another motor load", HelpName = "DIR" };
        var rate = new Option<double>("--rate") { Description = "Sample rate every recording is decimated to, in Hz", HelpName = "HZ", DefaultValueFactory = _ => defaults.RateHz };
        var trees = new Option<int>("--trees") { Description = "Trees of the classifier's forest", HelpName = "N", DefaultValueFactory = _ => defaults.Trees };
        var trainShare = new Option<double>("--train-share") { Description = "Without --test, the share of each recording (from its start) that trains", DefaultValueFactory = _ => defaults.TrainShare };
        var command = new Command("cwru", "The bearing-fault classifier on CWRU recordings. Last line: cwru accuracy=A")
        {
            dir, train, test, rate, trees, trainShare,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(train) is null && result.GetValue(dir) is null) result.AddError("Required: --train DIR (or DIR).");
        });
        command.SetAction(result => CwruEvaluation.Run(new CwruSettings(result.GetValue(train) ?? result.GetRequiredValue(dir)!)
        {
            TestDirectory = result.GetValue(test),
            RateHz = result.GetValue(rate),
            Trees = result.GetValue(trees),
            TrainShare = result.GetValue(trainShare),
        }, result.InvocationConfiguration.Output));
        return command;
    }

    private static Command Cmapss()
    {
        var defaults = new CmapssSettings(Directory: "");
        var dir = Directory("The folder with train_FD00x.txt, test_FD00x.txt and RUL_FD00x.txt");
        var subset = new Option<string>("--subset") { Description = "The C-MAPSS subset, FD001 … FD009", DefaultValueFactory = _ => defaults.Subset };
        var trees = new Option<int>("--trees") { Description = "Boosting rounds of the regressor; 0: depth and rounds by cross-validation", DefaultValueFactory = _ => defaults.Trees };
        var command = new Command("cmapss", "Remaining-useful-life models on NASA C-MAPSS. Last line: cmapss subset=FD00x rmse=R score=S")
        {
            dir, subset, trees,
        };
        command.SetAction(result => CmapssEvaluation.Run(new CmapssSettings(result.GetRequiredValue(dir))
        {
            Subset = result.GetRequiredValue(subset),
            Trees = result.GetValue(trees),
        }, result.InvocationConfiguration.Output));
        return command;
    }

    private static Command FuelCell()
    {
        var dir = Directory("The folder with polarization/ (STACK_Pola_Thhh.csv) and, optionally, monitoring data");
        var command = new Command("fuelcell", "The polarisation model and its ageing on a real stack's curves. Last line: fuelcell fit_rmse_mv=R forecast_mape_pct=E")
        {
            dir,
        };
        command.SetAction(result => FuelCellEvaluation.Run(result.GetRequiredValue(dir), result.InvocationConfiguration.Output));
        return command;
    }

    // A string, not a DirectoryInfo: the evaluations report the folder as it was typed.
    private static Argument<string> Directory(string description) => new("DIR") { Description = description };
}
