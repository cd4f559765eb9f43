namespace StemeQL.Cli;

/// <summary>Where the shell gets its input, one line at a time.</summary>
internal interface ILineReader
{
    /// <summary>Shows <paramref name="prompt"/> (if the source is interactive) and reads a line; null at end of input.</summary>
    string? ReadLine(string prompt);
}

/// <summary>Lines from a <see cref="TextReader"/>: a pipe, a file or a test; prompts go to <paramref name="prompts"/> when given.</summary>
internal sealed class TextLineReader(TextReader input, TextWriter? prompts = null) : ILineReader
{
    public string? ReadLine(string prompt)
    {
        if (prompts is not null)
        {
            prompts.Write(prompt);
            prompts.Flush();
        }
        return input.ReadLine();
    }
}
