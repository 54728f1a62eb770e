namespace Fieldlab.Cli;

/// <summary>The command line is wrong; the message says how.</summary>
/// <remarks>For what only the command can check (a folder that does not exist, a subset that is not FD00x); the
/// parser reports the rest. Either way the exit code is <see cref="CliRoot.Usage"/>.</remarks>
public sealed class UsageException(string message) : Exception(message);
