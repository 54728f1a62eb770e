using System.Numerics;
using Fieldlab.PredictiveMaintenance.Signals;
using MathNet.Numerics.IntegralTransforms;

namespace Fieldlab.PredictiveMaintenance.Tests.Signals;

/// <summary>Fieldlab's own FFT replaced MathNet's on the hot path; these prove it computes the same transform.</summary>
public sealed class FftAgreementTests
{
    public static TheoryData<int> ComplexLengths => [2, 4, 8, 16, 32, 64, 128, 1024, 2048, 16384, 32768];

    [Theory, MemberData(nameof(ComplexLengths))]
    public void ComplexForward_AgreesWithMathNet_ToRounding(int n)
    {
        var random = new Random(n);
        var data = Enumerable.Range(0, n).Select(_ => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray();
        var expected = (Complex[])data.Clone();
        Fourier.Forward(expected, FourierOptions.NoScaling);

        var re = data.Select(c => c.Real).ToArray();
        var im = data.Select(c => c.Imaginary).ToArray();
        new ComplexFft(n).Forward(re, im);

        AssertClose(expected, re, im);
    }

    [Theory, MemberData(nameof(ComplexLengths))]
    public void ComplexInverse_UndoesForward_TimesN(int n)
    {
        var random = new Random(n + 1);
        var re = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var (re0, im0) = ((double[])re.Clone(), (double[])im.Clone());
        var fft = new ComplexFft(n);
        fft.Forward(re, im);
        fft.Inverse(re, im);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(re0[i], re[i] / n, 1e-13);
            Assert.Equal(im0[i], im[i] / n, 1e-13);
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(4096)]
    [InlineData(32768)]
    [InlineData(65536)]
    public void RealForward_AgreesWithMathNet_ToRounding(int n)
    {
        var random = new Random(n + 2);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var packed = new double[n + 2];
        x.CopyTo(packed, 0);
        Fourier.ForwardReal(packed, n, FourierOptions.NoScaling);
        var expected = Enumerable.Range(0, n / 2 + 1).Select(k => new Complex(packed[2 * k], packed[2 * k + 1])).ToArray();

        var fft = new RealFft(n);
        Assert.True(fft.IsNative);
        var re = new double[n / 2 + 1];
        var im = new double[n / 2 + 1];
        fft.Forward(x, re, im);

        AssertClose(expected, re, im);
    }

    [Fact]
    public void RealForward_OfANonPowerOfTwoLength_FallsBackToMathNet()
    {
        const int n = 1000;
        var x = Enumerable.Range(0, n).Select(i => Math.Cos(2 * Math.PI * 10 * i / n)).ToArray();
        var fft = new RealFft(n);
        Assert.False(fft.IsNative);
        var re = new double[n / 2 + 1];
        var im = new double[n / 2 + 1];
        fft.Forward(x, re, im);
        Assert.Equal(n / 2.0, re[10], 9);
        Assert.Equal(0, re[11], 9);
    }

    [Fact]
    public void Lengths_ThatAreNotPowersOfTwo_AreRefusedWithAClearError()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ComplexFft(1000));
        Assert.Contains("power of two", error.Message);
    }

    // Error relative to the largest bin: an FFT's rounding error scales with the signal's norm, not with each bin.
    private static void AssertClose(Complex[] expected, double[] re, double[] im)
    {
        double scale = expected.Max(c => c.Magnitude);
        for (int k = 0; k < expected.Length; k++)
        {
            double error = (expected[k] - new Complex(re[k], im[k])).Magnitude / scale;
            Assert.True(error < 1e-13, $"bin {k}: expected {expected[k]}, got ({re[k]}, {im[k]}); relative error {error:E2}");
        }
    }
}
