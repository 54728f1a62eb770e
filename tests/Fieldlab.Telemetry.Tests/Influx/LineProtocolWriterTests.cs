using System.Text;
using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Telemetry.Tests.Influx;

public sealed class LineProtocolWriterTests
{
    private static string Write(Action<LineProtocolWriter> build)
    {
        var writer = new LineProtocolWriter(256);
        build(writer);
        return Encoding.UTF8.GetString(writer.WrittenMemory.Span);
    }

    [Fact]
    public void Point_WithTagsAndFieldsOfEveryType_IsWrittenInLineProtocol()
    {
        var text = Write(w => w.BeginPoint("samples").Tag("rig", "pump-1").Field("flow", 12.5).Field("seq", 42L).Field("ok", true).Field("note", "hi").EndPoint(1_700_000_000_000_000_001));
        Assert.Equal("samples,rig=pump-1 flow=12.5,seq=42i,ok=true,note=\"hi\" 1700000000000000001\n", text);
    }

    [Fact]
    public void IntegralDouble_StaysAFloat_WithoutIntegerSuffix()
    {
        var text = Write(w => w.BeginPoint("m").Field("v", 3.0).EndPoint(1));
        Assert.Equal("m v=3 1\n", text);
    }

    [Fact]
    public void DoubleFormatting_RoundTripsExactly()
    {
        double[] values = [0.1, 1.0 / 3.0, -2.5e-310, 1.7976931348623157e308, 123456789.123456789, -0.0];
        foreach (var v in values)
        {
            var text = Write(w => w.BeginPoint("m").Field("v", v).EndPoint(1));
            var number = text["m v=".Length..text.LastIndexOf(' ')];
            Assert.Equal(v, double.Parse(number, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Measurement_EscapesCommaAndSpace_ButNotEquals()
    {
        var text = Write(w => w.BeginPoint("my meas,x=y").Field("v", 1.0).EndPoint(1));
        Assert.Equal("my\\ meas\\,x=y v=1 1\n", text);
    }

    [Fact]
    public void TagKeysValuesAndFieldKeys_EscapeCommaEqualsAndSpace()
    {
        var text = Write(w => w.BeginPoint("m").Tag("a b", "c,d=e").Field("f=g h,i", 1.0).EndPoint(1));
        Assert.Equal("m,a\\ b=c\\,d\\=e f\\=g\\ h\\,i=1 1\n", text);
    }

    [Fact]
    public void StringField_EscapesQuoteAndBackslash()
    {
        var text = Write(w => w.BeginPoint("m").Field("s", "say \"hi\" C:\\dir\\").EndPoint(1));
        Assert.Equal("m s=\"say \\\"hi\\\" C:\\\\dir\\\\\" 1\n", text);
    }

    [Fact]
    public void QuoteInTagValue_IsWrittenLiterally()
    {
        var text = Write(w => w.BeginPoint("m").Tag("t", "a\"b").Field("v", 1.0).EndPoint(1));
        Assert.Equal("m,t=a\"b v=1 1\n", text);
    }

    [Fact]
    public void NonAsciiNames_AreWrittenAsUtf8()
    {
        var text = Write(w => w.BeginPoint("m").Tag("plaats", "IJmuiden–Velsen").Field("temp_°C", 1.0).EndPoint(1));
        Assert.Equal("m,plaats=IJmuiden–Velsen temp_°C=1 1\n", text);
    }

    public static TheoryData<string, string> InjectionAttempts => new()
    {
        { "newline in tag value", "pump\nfake,rig=x v=666 1" },
        { "carriage return", "pump\r" },
        { "tab", "a\tb" },
        { "backslash", "a\\" },
        { "escaped comma", "a\\,b" },
        { "NUL", "a\0b" },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(InjectionAttempts))]
    public void UnwritableTagValue_IsRejected_AndNothingOfThePointRemains(string why, string value)
    {
        var writer = new LineProtocolWriter();
        writer.BeginPoint("m").Field("v", 1.0).EndPoint(1);
        var before = Encoding.UTF8.GetString(writer.WrittenMemory.Span);
        var error = Assert.Throws<LineProtocolException>(() => writer.BeginPoint("m").Tag("rig", value));
        Assert.False(string.IsNullOrWhiteSpace(error.Message), why);
        Assert.Equal(before, Encoding.UTF8.GetString(writer.WrittenMemory.Span));
        Assert.Equal(1, writer.PointCount);
    }

    [Theory]
    [InlineData("sensor\nname")]
    [InlineData("time")]
    [InlineData("_field")]
    [InlineData("")]
    [InlineData("a\\b")]
    public void UnwritableFieldKey_IsRejected(string key)
    {
        var writer = new LineProtocolWriter();
        Assert.Throws<LineProtocolException>(() => writer.BeginPoint("m").Field(key, 1.0));
        Assert.Equal(0, writer.Length);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteFloat_IsRejected_AndThePartialPointRemoved(double value)
    {
        var writer = new LineProtocolWriter();
        writer.BeginPoint("m").Tag("rig", "r").Field("ok", 1.0);
        var error = Assert.Throws<LineProtocolException>(() => writer.Field("v", value));
        Assert.Contains("finite", error.Message);
        Assert.Equal(0, writer.Length);
        Assert.Equal(0, writer.PointCount);
    }

    [Fact]
    public void StringFieldWithNewline_IsRejected()
    {
        var writer = new LineProtocolWriter();
        Assert.Throws<LineProtocolException>(() => writer.BeginPoint("m").Field("s", "line1\nline2"));
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void UnpairedSurrogate_IsRejected()
    {
        var writer = new LineProtocolWriter();
        Assert.Throws<LineProtocolException>(() => writer.BeginPoint("m").Tag("t", "a\ud800b"));
    }

    [Fact]
    public void MeasurementStartingWithHash_IsRejected_BecauseItWouldBeAComment()
    {
        Assert.Throws<LineProtocolException>(() => new LineProtocolWriter().BeginPoint("#samples"));
    }

    [Fact]
    public void PointWithoutField_CannotEnd()
    {
        var writer = new LineProtocolWriter();
        writer.BeginPoint("m").Tag("a", "b");
        Assert.Throws<LineProtocolException>(() => writer.EndPoint(1));
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void TagAfterField_IsAProgrammingError_AndDiscardsThePoint()
    {
        var writer = new LineProtocolWriter();
        writer.BeginPoint("m").Field("v", 1.0);
        Assert.Throws<InvalidOperationException>(() => writer.Tag("a", "b"));
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void UnfinishedPoint_IsNotPartOfTheWrittenMemory()
    {
        var writer = new LineProtocolWriter();
        writer.BeginPoint("m").Field("v", 1.0).EndPoint(1);
        writer.BeginPoint("m").Field("v", 2.0);
        Assert.Equal("m v=1 1\n", Encoding.UTF8.GetString(writer.WrittenMemory.Span));
    }

    [Fact]
    public void PrevalidatedNames_WriteTheSameBytesAsStrings()
    {
        var a = Write(w => w.BeginPoint("sam ples").Tag("k,1", "v=1").Field("f 1", 2.0).EndPoint(5));
        var b = Write(w => w.BeginPoint(LineProtocolName.Measurement("sam ples")).Tag(LineProtocolName.Key("k,1"), LineProtocolName.TagValue("v=1"))
            .Field(LineProtocolName.Key("f 1"), 2.0).EndPoint(5));
        Assert.Equal(a, b);
    }

    [Fact]
    public void Buffer_GrowsBeyondItsInitialCapacity()
    {
        var writer = new LineProtocolWriter(256);
        for (int i = 0; i < 1000; i++) writer.BeginPoint("m").Tag("rig", "pump-1").Field("v", i * 1.5).EndPoint(i);
        Assert.Equal(1000, writer.PointCount);
        Assert.Equal(1000, Encoding.UTF8.GetString(writer.WrittenMemory.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
