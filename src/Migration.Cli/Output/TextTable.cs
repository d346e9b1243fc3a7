using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Migration.Cli.Output;

/// <summary>
/// A table of data for stdout: drawn with Spectre.Console on a terminal, and as plain columns (a
/// header line, then one line per row, columns two spaces apart) when the output is redirected, so
/// that it reads well in a file and splits on whitespace-aligned columns.
/// </summary>
internal sealed class TextTable
{
    private readonly List<(string Header, bool Numeric)> columns = [];
    private readonly List<string[]> rows = [];

    public TextTable Column(string header, bool numeric = false)
    {
        if (rows.Count > 0) throw new InvalidOperationException("columns are declared before rows");
        columns.Add((header, numeric));
        return this;
    }

    public void Row(params string[] cells)
    {
        if (cells.Length != columns.Count) throw new ArgumentException($"a row of {cells.Length} cells in a table of {columns.Count} columns", nameof(cells));
        rows.Add(cells);
    }

    public int RowCount => rows.Count;

    public void Write(TextWriter output)
    {
        if (!Terminal.IsInteractive(output))
        {
            WritePlain(output);
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        // A drawn table narrower than its cells wraps every cell over several lines: plain columns read better.
        if (console.Profile.Width < DrawnWidth()) WritePlain(output);
        else WriteDrawn(console);
    }

    // Each cell is padded by a space either side and the columns are separated (and closed) by one border character.
    private int DrawnWidth() => Widths().Sum() + 3 * columns.Count + 1;

    private int[] Widths() => columns.Select((c, i) => Math.Max(c.Header.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();

    private void WriteDrawn(IAnsiConsole console)
    {
        var table = new Table();
        foreach (var (header, numeric) in columns)
        {
            var column = new TableColumn(new Text(header));
            table.AddColumn(numeric ? column.RightAligned() : column);
        }
        foreach (var row in rows) table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        console.Write(table);
    }

    private void WritePlain(TextWriter output)
    {
        var widths = Widths();
        output.WriteLine(Line(columns.Select(c => c.Header).ToArray(), widths));
        foreach (var row in rows) output.WriteLine(Line(row, widths));
    }

    private string Line(string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) line.Append("  ");
            var last = i == cells.Length - 1;
            if (columns[i].Numeric) line.Append(cells[i].PadLeft(widths[i]));
            else line.Append(last ? cells[i] : cells[i].PadRight(widths[i]));
        }
        return line.ToString();
    }
}
