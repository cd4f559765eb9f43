namespace StemeQL.Cli;

/// <summary>What a line reader returned: a line, end of input (Ctrl+D) or an interrupt (Ctrl+C).</summary>
/// <param name="Text">The line; null at end of input or on an interrupt. A recalled history entry may hold several lines.</param>
/// <param name="Interrupted">Ctrl+C was pressed: discard the line and the statement being typed.</param>
internal readonly record struct InputLine(string? Text, bool Interrupted = false)
{
    /// <summary>The input has ended.</summary>
    public static InputLine EndOfInput => default;

    /// <summary>Ctrl+C at the prompt.</summary>
    public static InputLine Interrupt => new(null, Interrupted: true);

    public static implicit operator InputLine(string? text) => new(text);
}

/// <summary>Where the shell gets its input, one line at a time.</summary>
internal interface ILineReader
{
    /// <summary>Shows <paramref name="prompt"/> (if the source is interactive) and reads a line.</summary>
    InputLine ReadLine(string prompt);
}

/// <summary>Lines from a <see cref="TextReader"/>: a pipe, a file or a test; prompts go to <paramref name="prompts"/> when given.</summary>
internal sealed class TextLineReader(TextReader input, TextWriter? prompts = null) : ILineReader
{
    public InputLine ReadLine(string prompt)
    {
        if (prompts is not null)
        {
            prompts.Write(prompt);
            prompts.Flush();
        }
        return input.ReadLine();
    }
}
