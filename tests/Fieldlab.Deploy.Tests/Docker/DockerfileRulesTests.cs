using Fieldlab.LocalServers;

namespace Fieldlab.Deploy.Tests.Docker;

public sealed class DockerfileRulesTests
{
    private static IEnumerable<string> Names() =>
        Directory.GetFiles(RepositoryRoot.File("deploy", "docker"), "*.Dockerfile").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    public static TheoryData<string> Dockerfiles() => [.. Names()];

    [Fact]
    public void DeployDocker_HoldsADockerfilePerService() =>
        Assert.Equal(["api.Dockerfile", "cli.Dockerfile", "gateway.Dockerfile", "ingest.Dockerfile"], Names());

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Dockerfile_BuildsInOneStageRunsNonRootInAnother(string name)
    {
        var problems = DockerfileRules.Check(Read(name), RepositoryRoot.Path).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS run", "", "1 stage(s)")]
    [InlineData("USER $APP_UID", "", "the final stage sets no USER")]
    [InlineData("USER $APP_UID", "USER root", "the final stage runs as root (USER root)")]
    [InlineData("USER $APP_UID", "USER 0:0", "the final stage runs as root (USER 0:0)")]
    [InlineData("src/Api/Fieldlab.Api.csproj", "src/Api/Fieldlab.Apy.csproj", "publishes 'src/Api/Fieldlab.Apy.csproj', which is not in the build context")]
    [InlineData("dotnet publish", "dotnet build", "no 'dotnet publish'")]
    [InlineData("\"Fieldlab.Api.dll\"", "\"Fieldlab.Ingest.dll\"", "ENTRYPOINT does not start Fieldlab.Api.dll")]
    public void Dockerfile_BrokenCopy_IsReported(string original, string broken, string expected)
    {
        var text = Read("api.Dockerfile");
        Assert.Contains(original, text, StringComparison.Ordinal);
        text = text.Replace(original, broken, StringComparison.Ordinal);

        var problems = DockerfileRules.Check(text, RepositoryRoot.Path).ToList();

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void DockerIgnore_KeepsStateSecretsAndBuildOutputOutOfTheContext()
    {
        var lines = File.ReadAllLines(RepositoryRoot.File(".dockerignore")).Select(l => l.Trim()).ToHashSet();

        Assert.Superset(new HashSet<string> { ".fieldlab/", "**/bin/", "**/obj/", "deploy/compose/.env" }, lines);
    }

    private static string Read(string name) => File.ReadAllText(RepositoryRoot.File("deploy", "docker", name));
}
