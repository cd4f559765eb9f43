using System.Globalization;
using System.Text;

namespace StemeQL.Cli;

/// <summary>
/// A minimal line editor for a real terminal: arrows, Home/End, Backspace/Delete, Ctrl+A/E/K/U, Up/Down
/// history, Ctrl+C (discard the line) and Ctrl+D (end of input on an empty line). System.Console has no
/// readline; this covers the keys people reach for without a dependency. A recalled multi-line statement
/// is edited as one line, its line breaks shown as spaces; long lines wrap and are redrawn across rows.
/// </summary>
internal sealed class ConsoleLineEditor(IReadOnlyList<string> history) : ILineReader
{
    /// <summary>The terminal row of the cursor, counted from the prompt's row, after the last draw.</summary>
    private int _cursorRow;

    public InputLine ReadLine(string prompt)
    {
        bool treatControlC = Console.TreatControlCAsInput;
        // Ctrl+C arrives as a key while a line is typed, so it clears the line instead of ending the process.
        Console.TreatControlCAsInput = true;
        try
        {
            return Edit(prompt);
        }
        finally
        {
            Console.TreatControlCAsInput = treatControlC;
        }
    }

    private InputLine Edit(string prompt)
    {
        Console.Write(prompt);
        _cursorRow = 0;
        var text = new StringBuilder();
        int cursor = 0;
        int recalled = history.Count; // history.Count stands for the line being typed
        string draft = "";

        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            bool control = key.Modifiers.HasFlag(ConsoleModifiers.Control);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Finish(prompt, text, cursor, "");
                    return text.ToString();
                case ConsoleKey.C when control || key.KeyChar == '\u0003':
                    Finish(prompt, text, cursor, "^C");
                    return InputLine.Interrupt;
                case ConsoleKey.D when control || key.KeyChar == '\u0004':
                    if (text.Length == 0)
                    {
                        Console.WriteLine();
                        return InputLine.EndOfInput;
                    }
                    if (cursor < text.Length) text.Remove(cursor, 1); // as in readline: delete under the cursor
                    break;
                case ConsoleKey.Backspace when cursor > 0:
                    text.Remove(--cursor, 1);
                    break;
                case ConsoleKey.Delete when cursor < text.Length:
                    text.Remove(cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when cursor > 0:
                    cursor--;
                    break;
                case ConsoleKey.RightArrow when cursor < text.Length:
                    cursor++;
                    break;
                case ConsoleKey.Home:
                case ConsoleKey.A when control:
                    cursor = 0;
                    break;
                case ConsoleKey.End:
                case ConsoleKey.E when control:
                    cursor = text.Length;
                    break;
                case ConsoleKey.U when control:
                    text.Remove(0, cursor);
                    cursor = 0;
                    break;
                case ConsoleKey.K when control:
                    text.Remove(cursor, text.Length - cursor);
                    break;
                case ConsoleKey.UpArrow when recalled > 0:
                    if (recalled == history.Count) draft = text.ToString();
                    cursor = Replace(text, history[--recalled]);
                    break;
                case ConsoleKey.DownArrow when recalled < history.Count:
                    recalled++;
                    cursor = Replace(text, recalled == history.Count ? draft : history[recalled]);
                    break;
                default:
                    char typed = key.KeyChar == '\t' ? ' ' : key.KeyChar;
                    if (typed == '\0' || char.IsControl(typed)) continue;
                    text.Insert(cursor++, typed);
                    int column = prompt.Length + cursor;
                    if (cursor < text.Length || column % Width() == 0) break;
                    Console.Write(typed); // typing at the end, short of the row's edge, needs no redraw
                    _cursorRow = column / Width();
                    continue;
            }
            Redraw(prompt, text, cursor);
        }
    }

    private static int Replace(StringBuilder text, string line)
    {
        text.Clear().Append(line);
        return text.Length;
    }

    /// <summary>Moves below the text (which may wrap over several rows), writes <paramref name="mark"/> and a new line.</summary>
    private void Finish(string prompt, StringBuilder text, int cursor, string mark)
    {
        if (cursor < text.Length) Redraw(prompt, text, text.Length);
        Console.WriteLine(mark);
    }

    private void Redraw(string prompt, StringBuilder text, int cursor)
    {
        int width = Width();
        // Back to the prompt's row and column 0, rewrite, clear below, then step back to the cursor.
        var output = new StringBuilder();
        if (_cursorRow > 0) output.Append("\u001b[").Append(Number(_cursorRow)).Append('A');
        output.Append('\r').Append(prompt).Append(text.ToString().Replace('\n', ' ')).Append("\u001b[J");
        int end = prompt.Length + text.Length;
        // A row filled to its edge leaves the terminal's cursor there: move to the next row explicitly.
        if (end > 0 && end % width == 0) output.Append("\r\n");
        int target = prompt.Length + cursor;
        int up = end / width - target / width;
        if (up > 0) output.Append("\u001b[").Append(Number(up)).Append('A');
        output.Append('\r');
        if (target % width > 0) output.Append("\u001b[").Append(Number(target % width)).Append('C');
        Console.Write(output.ToString());
        _cursorRow = target / width;
    }

    private static int Width()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException)
        {
            return 80;
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
