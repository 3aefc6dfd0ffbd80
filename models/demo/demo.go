// Package demo holds the demo federation: a fictional executive committee shaped like Fu'an's
// (132 people: chair, officers, 9 vice-chairs, 27 vice-presidents, 93 standing members), so a
// fresh install, the planner's benchmarks and the tests have a realistic roster to work on.
// Every name, company and number in it is invented.
package demo

import (
	"bytes"
	"context"
	_ "embed"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/roster"
)

// rosterCSV is written by the generator in gen_test.go (go test ./models/demo -update).
//
//go:embed demo_roster.csv
var rosterCSV []byte

// RosterCSV returns the demo roster as a UTF-8 CSV with the Chinese headers the importer reads.
func RosterCSV() []byte { return bytes.Clone(rosterCSV) }

// Load imports the demo roster when the members table is empty and returns how many members it
// created; with any member already stored it does nothing, so real data is never mixed with it.
func Load(ctx context.Context, db *models.DB) (int, error) {
	n, err := db.CountMembers(ctx)
	if err != nil {
		return 0, models.Internal(err)
	}
	if n > 0 {
		return 0, nil
	}
	sheet, err := roster.Read(bytes.NewReader(rosterCSV), roster.ReadOptions{})
	if err != nil {
		return 0, err
	}
	rep, err := roster.Import(ctx, db, sheet, roster.ImportOptions{})
	if err != nil {
		return 0, err
	}
	return rep.Created, nil
}
