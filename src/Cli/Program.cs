using Fieldlab.Cli;

using var cancel = new CancellationTokenSource();
// Ctrl-C cancels the command's token instead of ending the process, so that servers started for a run are stopped.
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return await CliRoot.InvokeAsync(args, Console.Out, Console.Error, cancel.Token);
