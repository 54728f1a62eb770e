namespace Fieldlab.Deploy.Tests.Compose;

public sealed class ComposeVariablesTests
{
    private static readonly Dictionary<string, string> Values = new() { ["SET"] = "value", ["EMPTY"] = "" };

    [Theory]
    [InlineData("${SET}", "value")]
    [InlineData("$SET/x", "value/x")]
    [InlineData("${UNSET}", "")]
    [InlineData("${UNSET:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${EMPTY-fallback}", "")]
    [InlineData("${UNSET-fallback}", "fallback")]
    [InlineData("${SET:+other}", "other")]
    [InlineData("${EMPTY:+other}", "")]
    [InlineData("${EMPTY+other}", "other")]
    [InlineData("${UNSET:-${SET}}", "value")]
    [InlineData("$${SET} $$SET", "${SET} $SET")]
    [InlineData("127.0.0.1:${UNSET:-1883}:1883", "127.0.0.1:1883:1883")]
    public void Interpolate_FollowsTheComposeSpecification(string text, string expected) =>
        Assert.Equal(expected, ComposeVariables.Interpolate(text, Values));

    [Theory]
    [InlineData("${UNSET:?give it}", "UNSET", "give it")]
    [InlineData("${EMPTY:?give it}", "EMPTY", "give it")]
    [InlineData("${UNSET?give it}", "UNSET", "give it")]
    public void Interpolate_RequiredVariableWithoutValue_ThrowsWithTheMessage(string text, string name, string message)
    {
        var refused = Assert.Throws<ComposeInterpolationException>(() => ComposeVariables.Interpolate(text, Values));

        Assert.Contains(name, refused.Message, StringComparison.Ordinal);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interpolate_EmptyButSetWithPlainQuestionMark_IsAccepted() =>
        Assert.Equal("", ComposeVariables.Interpolate("${EMPTY?give it}", Values));

    [Theory]
    [InlineData("${SET")]
    [InlineData("${1BAD}")]
    [InlineData("${SET:x}")]
    public void Interpolate_MalformedReference_Throws(string text) =>
        Assert.Throws<ComposeInterpolationException>(() => ComposeVariables.Interpolate(text, Values));

    [Fact]
    public void Names_FindsReferencesInDefaultsAndSkipsEscapes() =>
        Assert.Equal(["A", "B", "C"], ComposeVariables.Names("${A:-${B}} $C $$D"));
}
