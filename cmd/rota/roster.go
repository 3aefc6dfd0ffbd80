package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/roster"
)

// cliActor is whom the audit log names for changes made from the command line.
var cliActor = models.Actor{Name: "cli"}

// runImport is "rota import [--dry-run] [--deactivate-missing] [--lang en] FILE": it reads a roster
// spreadsheet, brings the members table in line with it and prints what changed. Any problem in the
// file means nothing is written and the command fails, listing every problem with its row.
func runImport(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dryRun := fs.Bool("dry-run", false, "只检查，不写入 (check only, write nothing)")
	deactivate := fs.Bool("deactivate-missing", false, "将名单中没有的在任成员标为离任 (mark active members absent from the file as left)")
	lang := fs.String("lang", string(env.lang), "输出语言 zh-CN 或 en (output language)")
	fs.Usage = func() { fmt.Fprintln(env.stderr, locale.T(env.lang, "roster.cli.usage_import")); fs.PrintDefaults() }
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	l := locale.Parse(*lang)
	if len(files) != 1 {
		fmt.Fprintln(env.stderr, locale.T(l, "roster.cli.usage_import"))
		return errUsage
	}
	sheet, err := roster.ReadFile(files[0], roster.ReadOptions{})
	if err != nil {
		return localized(err, l)
	}
	db, err := env.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = models.WithActor(ctx, cliActor)
	rep, err := roster.Import(ctx, db, sheet, roster.ImportOptions{DryRun: *dryRun, DeactivateMissing: *deactivate})
	if rep != nil {
		printReport(env.stdout, rep, l)
	}
	if err != nil && models.ErrorCode(err) != models.EInvalid {
		return localized(err, l)
	}
	if !rep.OK() {
		key := "roster.cli.failed"
		if rep.DryRun {
			key = "roster.cli.check_failed"
		}
		return errors.New(locale.T(l, key, len(rep.Problems)))
	}
	env.log.Info("roster imported", "file", files[0], "dry_run", rep.DryRun, "created", rep.Created,
		"updated", rep.Updated, "unchanged", rep.Unchanged, "deactivated", len(rep.Deactivated))
	return nil
}

// printReport writes the import report as a secretary reads it: counts, then every problem with its
// row and column, then warnings and the members the file leaves out.
func printReport(w io.Writer, rep *roster.Report, l locale.Lang) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	if rep.DryRun {
		fmt.Fprintln(bw, locale.T(l, "roster.cli.dry_run"))
	}
	fmt.Fprintln(bw, locale.T(l, "roster.cli.summary", rep.Rows, rep.Created, rep.Updated, rep.Unchanged))
	if len(rep.Problems) > 0 {
		fmt.Fprintln(bw, locale.T(l, "roster.cli.problems", len(rep.Problems)))
		for _, p := range rep.Problems {
			fmt.Fprintln(bw, "  "+p.String(l))
		}
	}
	if len(rep.Warnings) > 0 {
		fmt.Fprintln(bw, locale.T(l, "roster.cli.warnings"))
		for _, p := range rep.Warnings {
			fmt.Fprintln(bw, "  "+p.String(l))
		}
	}
	switch {
	case len(rep.Deactivated) > 0:
		key := "roster.cli.deactivated"
		if !rep.Written {
			key = "roster.cli.would_deactivate"
		}
		fmt.Fprintln(bw, locale.T(l, key, len(rep.Deactivated)))
		printMembers(bw, rep.Deactivated)
	case len(rep.Missing) > 0:
		fmt.Fprintln(bw, locale.T(l, "roster.cli.missing", len(rep.Missing)))
		printMembers(bw, rep.Missing)
		fmt.Fprintln(bw, locale.T(l, "roster.cli.missing_hint"))
	}
	if rep.Written {
		fmt.Fprintln(bw, locale.T(l, "roster.cli.written"))
	}
}

func printMembers(w io.Writer, refs []roster.MemberRef) {
	for _, r := range refs {
		fmt.Fprintln(w, "  "+strings.Join(nonEmpty(r.MemberNo, r.Name, r.Mobile), " "))
	}
}

func nonEmpty(ss ...string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// runExport is "rota export FILE.xlsx|FILE.csv|-": the whole roster in the import's format,
// the format taken from the extension; "-" writes CSV to standard output.
func runExport(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	lang := fs.String("lang", string(env.lang), "输出语言 zh-CN 或 en (output language)")
	fs.Usage = func() { fmt.Fprintln(env.stderr, locale.T(env.lang, "roster.cli.usage_export")); fs.PrintDefaults() }
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	l := locale.Parse(*lang)
	if len(files) != 1 {
		fmt.Fprintln(env.stderr, locale.T(l, "roster.cli.usage_export"))
		return errUsage
	}
	path := files[0]
	format := roster.FormatCSV
	if path != "-" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
		if format != roster.FormatCSV && format != roster.FormatXLSX {
			return errors.New(locale.T(l, "roster.export.format", format))
		}
	}
	db, err := env.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if path == "-" {
		return localized(roster.Export(ctx, db, env.stdout, format), l)
	}
	// Write beside the target and rename, so a failed export never leaves half a file
	// where the secretary expects the roster.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".rota-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := roster.Export(ctx, db, bw, format); err != nil {
		tmp.Close()
		return localized(err, l)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, locale.T(l, "roster.cli.exported", path))
	return nil
}

// parseInterspersed parses flags wherever they appear, so "rota import 名单.xlsx --dry-run" works
// as well as the flags-first order the flag package expects.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// localized renders an application error in the CLI's language; others pass through.
func localized(err error, l locale.Lang) error {
	var e *models.Error
	if errors.As(err, &e) && e.Code != models.EInternal {
		return errors.New(e.Message(l))
	}
	return err
}
