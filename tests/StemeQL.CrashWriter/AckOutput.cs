using System.Globalization;
using System.Text;

namespace StemeQL.CrashWriter;

/// <summary>
/// The child's stdout, in the line format Program.cs describes. Nothing is flushed before the store
/// has acknowledged it, except the B line, which is flushed before its write starts so the parent
/// knows what may be in flight when it kills the process.
/// </summary>
internal sealed class AckOutput
{
    private readonly StreamWriter _out = new(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16)
    {
        AutoFlush = false,
        NewLine = "\n",
    };

    /// <summary>A write taking <paramref name="newLsns"/> LSNs is about to start.</summary>
    public void Begin(long newLsns)
    {
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"B {newLsns}"));
        _out.Flush();
    }

    /// <summary>An acknowledged assertion (buffered until <see cref="Commit"/>).</summary>
    public void Assertion(string hash, long lsn) =>
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"A {hash} {lsn}"));

    /// <summary>An acknowledged vote (buffered until <see cref="Commit"/>).</summary>
    public void Vote(string hash, long lsn, double weight) =>
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"V {hash} {lsn} {weight:R}"));

    /// <summary>The write begun last is acknowledged with LSNs first..last; prints and flushes everything buffered.</summary>
    public void Commit(long first, long last, long count)
    {
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"W {first} {last} {count}"));
        _out.Flush();
    }

    /// <summary>A free-form line, flushed at once.</summary>
    public void Line(string text)
    {
        _out.WriteLine(text);
        _out.Flush();
    }
}
