using System.Globalization;
using System.Text;

namespace StemeQL.Cli;

/// <summary>
/// A minimal line editor for a real terminal: arrows, Home/End, Backspace/Delete and Up/Down history.
/// System.Console has no readline; this covers the keys people reach for without a dependency.
/// It redraws with ANSI escapes, so a line longer than the terminal is not redrawn perfectly.
/// </summary>
internal sealed class ConsoleLineEditor(IReadOnlyList<string> history) : ILineReader
{
    public string? ReadLine(string prompt)
    {
        Console.Write(prompt);
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
                    Console.WriteLine();
                    return text.ToString();
                case ConsoleKey.D when control || key.KeyChar == '\u0004':
                    if (text.Length > 0) continue;
                    Console.WriteLine();
                    return null;
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
                    if (cursor < text.Length) break;
                    Console.Write(typed); // typing at the end needs no redraw
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

    private static void Redraw(string prompt, StringBuilder text, int cursor)
    {
        // Back to column 0, rewrite, clear the rest of the line, then step back to the cursor.
        var output = new StringBuilder("\r").Append(prompt).Append(text).Append("\u001b[K");
        if (cursor < text.Length) output.Append("\u001b[").Append((text.Length - cursor).ToString(CultureInfo.InvariantCulture)).Append('D');
        Console.Write(output.ToString());
    }
}
