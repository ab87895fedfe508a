using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using FastLaDeDa.Cli;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Cli;

/// <summary>
/// README.md's "Command line" block against the parser: the same commands, and on each command's
/// line exactly the options the command takes (under any of their names).
/// </summary>
public partial class ReadmeContractTests
{
    /// <summary>
    /// Options the README lines leave out on purpose: --help (every command has it; the README's
    /// line for a command is its usage, not its help) and hidden ones (export's --onnx, the old name
    /// of -o, kept for scripts but no longer documented).
    /// </summary>
    private static bool Undocumented(Option option) => option is HelpOption || option.Hidden;

    /// <summary>"fastladeda CMD …" lines of the first code block under "## Command line", comments cut off.</summary>
    private static Dictionary<string, string> ReadmeLines()
    {
        string[] readme = File.ReadAllLines(Path.Combine(SharedData.RepoRoot, "README.md"));
        int section = Array.IndexOf(readme, "## Command line");
        Assert.True(section >= 0, "README.md has no '## Command line' section");
        int open = Array.FindIndex(readme, section, l => l.StartsWith("```"));
        int close = Array.FindIndex(readme, open + 1, l => l.StartsWith("```"));
        return readme[(open + 1)..close]
            .Where(l => l.StartsWith("fastladeda "))
            .Select(l => l.Split('#')[0].Trim())
            .ToDictionary(l => l.Split(' ')[1], l => l);
    }

    private static HashSet<string> OptionTokens(string line) => OptionToken().Matches(line).Select(m => m.Value).ToHashSet();

    [GeneratedRegex(@"(?<![\w-])--?[A-Za-z][\w-]*")]
    private static partial Regex OptionToken();

    [Fact]
    public void Readme_lists_every_command_and_only_those()
    {
        Command root = CliApp.CreateRoot();
        Assert.Equal(root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).Order(), ReadmeLines().Keys.Order());
    }

    [Fact]
    public void Each_readme_line_names_exactly_the_options_of_its_command()
    {
        var lines = ReadmeLines();
        var problems = new List<string>();
        foreach (Command command in CliApp.CreateRoot().Subcommands.Where(c => !c.Hidden && lines.ContainsKey(c.Name)))
        {
            HashSet<string> documented = OptionTokens(lines[command.Name]);
            foreach (Option option in command.Options.Where(o => !Undocumented(o)))
            {
                string[] names = [option.Name, .. option.Aliases];
                if (!names.Any(documented.Contains))
                    problems.Add($"{command.Name}: {option.Name} is missing from README's line");
            }
            var known = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet();
            foreach (string token in documented.Where(t => !known.Contains(t)))
                problems.Add($"{command.Name}: README's line has {token}, which the command does not take");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
