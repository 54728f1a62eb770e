using Fieldlab.LocalServers;

namespace Fieldlab.Deploy.Tests.Compose;

/// <summary>deploy/compose/compose.yaml and .env.example as the tests read them, and copies with a change.</summary>
internal sealed record ComposeFile(string Text, string EnvExampleText)
{
    /// <summary>The compose file's directory.</summary>
    public static string Directory => RepositoryRoot.File("deploy", "compose");

    /// <summary>The files in the repository.</summary>
    public static ComposeFile Current() =>
        new(File.ReadAllText(Path.Combine(Directory, "compose.yaml")), File.ReadAllText(Path.Combine(Directory, ".env.example")));

    /// <summary>.env.example parsed.</summary>
    public EnvFile EnvExample => EnvFile.Parse(EnvExampleText);

    /// <summary>Parsed and interpolated as Compose would with an operator's .env (the example with its secrets filled in).</summary>
    public ComposeDocument Parse() => ComposeDocument.Parse(Text, Directory, EnvExample.WithSecretsFilled());

    /// <summary>Every Fieldlab rule's problems.</summary>
    public IReadOnlyList<string> RuleProblems() => ComposeRules.All(Parse(), Text, EnvExample, RepositoryRoot.Path);

    /// <summary>A copy with <paramref name="original"/> replaced; fails if the text does not hold it (so that a broken
    /// copy is really broken).</summary>
    public ComposeFile Replace(string original, string replacement)
    {
        Assert.Contains(original, Text, StringComparison.Ordinal);
        return this with { Text = Text.Replace(original, replacement, StringComparison.Ordinal) };
    }

    /// <summary>A copy whose .env.example has <paramref name="original"/> replaced.</summary>
    public ComposeFile ReplaceInEnvExample(string original, string replacement)
    {
        Assert.Contains(original, EnvExampleText, StringComparison.Ordinal);
        return this with { EnvExampleText = EnvExampleText.Replace(original, replacement, StringComparison.Ordinal) };
    }
}
