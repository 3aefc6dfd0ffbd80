package roster

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/gsl/rota/models"
)

// ImportOptions choose how an import treats the database.
type ImportOptions struct {
	DryRun            bool // report what would change and write nothing
	DeactivateMissing bool // mark active members absent from the file as having left today
}

// MemberRef names a member in a report.
type MemberRef struct {
	ID       uint64 `json:"id"`
	MemberNo string `json:"member_no"`
	Name     string `json:"name"`
	Mobile   string `json:"mobile"`
}

// Report is what an import did, or with DryRun or problems, what it would do.
type Report struct {
	DryRun      bool        `json:"dry_run"`
	Written     bool        `json:"written"` // the changes were committed
	Rows        int         `json:"rows"`    // data rows in the file
	Created     int         `json:"created"`
	Updated     int         `json:"updated"`
	Unchanged   int         `json:"unchanged"`
	Missing     []MemberRef `json:"missing"`     // active members the file does not list
	Deactivated []MemberRef `json:"deactivated"` // those of them marked as left (DeactivateMissing)
	Problems    []Problem   `json:"problems"`
	Warnings    []Problem   `json:"warnings"`
}

// OK reports whether the file had no problems.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Audit actions written by an import.
const (
	ActionCreate     = "roster.import.create"
	ActionUpdate     = "roster.import.update"
	ActionDeactivate = "roster.import.deactivate"
)

// batchSize keeps multi-row INSERTs well under MySQL's 65,535 placeholders.
const batchSize = 500

// Import brings the members table in line with sheet. Rows are matched to stored members by
// 编号 when the file has that column, else by mobile; unmatched rows become new members.
// Members the file does not list are reported and, with DeactivateMissing, marked as left.
//
// Everything happens in one transaction, and nothing is written if any row has a problem: a real
// run then returns the report with its problems and an error with code invalid. A dry run
// returns the same report with a nil error and never writes.
func Import(ctx context.Context, db *models.DB, sheet *Sheet, opts ImportOptions) (*Report, error) {
	rep := &Report{DryRun: opts.DryRun, Rows: len(sheet.Rows),
		Problems: slices.Clone(sheet.Problems), Warnings: slices.Clone(sheet.Warnings)}
	run := func(q *gorm.DB, write bool) error {
		var existing []models.Member
		if err := q.Order("id").Find(&existing).Error; err != nil {
			return models.Internal(err)
		}
		p := plan(sheet, existing, opts, db.Today(), rep)
		if !write || !rep.OK() {
			return nil
		}
		if err := p.write(q, db, ctx); err != nil {
			return err
		}
		rep.Written = true
		return nil
	}
	var err error
	if opts.DryRun {
		err = run(db.Gorm.WithContext(ctx), false)
	} else {
		err = db.Tx(ctx, func(tx *gorm.DB) error {
			if err := run(tx, true); err != nil {
				return err
			}
			if !rep.OK() {
				return errRollback
			}
			return nil
		})
		if err == errRollback {
			err = nil
		}
	}
	slices.SortStableFunc(rep.Problems, func(a, b Problem) int { return cmp.Compare(a.Row, b.Row) })
	if err != nil {
		return rep, err
	}
	if !opts.DryRun && !rep.OK() {
		return rep, models.Errorf(models.EInvalid, "roster.import.rejected", len(rep.Problems))
	}
	return rep, nil
}

// errRollback ends the transaction without writing when the plan found problems.
var errRollback = fmt.Errorf("roster: rolled back")

// change is one stored member and what it becomes.
type change struct {
	before, after models.Member
}

type importPlan struct {
	creates     []models.Member
	updates     []change
	deactivates []change
}

// plan matches rows to existing members and decides every write, recording counts and
// problems in rep.
func plan(s *Sheet, existing []models.Member, opts ImportOptions, today models.Date, rep *Report) *importPlan {
	p := &importPlan{}
	byNo := map[string]*models.Member{}
	byMobile := map[string]*models.Member{}
	byName := map[string][]*models.Member{}
	for i := range existing {
		m := &existing[i]
		if m.MemberNo != nil {
			byNo[*m.MemberNo] = m
		}
		if m.Mobile != nil {
			byMobile[*m.Mobile] = m
		}
		if m.Mobile == nil && m.MemberNo == nil {
			byName[m.Name] = append(byName[m.Name], m)
		}
	}
	useNo := s.has(colMemberNo)
	matched := map[uint64]int{} // member id → the row that matched it
	hadProblem := map[int]bool{}
	for _, pr := range s.Problems {
		hadProblem[pr.Row] = true
	}
	bad := func(line int, c column, key string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{Row: line, Column: s.headers[c], Key: key, Args: args})
		hadProblem[line] = true
	}
	for _, r := range s.Rows {
		src := r.Member
		var cur *models.Member
		if useNo && src.MemberNo != nil {
			cur = byNo[*src.MemberNo]
		}
		if cur == nil && src.Mobile != nil {
			if c := byMobile[*src.Mobile]; c != nil && (src.MemberNo == nil || c.MemberNo == nil || !useNo) {
				cur = c
			}
		}
		if cur == nil && src.Mobile == nil && src.MemberNo == nil && len(byName[src.Name]) == 1 {
			// Without number or mobile only the name is left; it is safe when it is unambiguous.
			cur = byName[src.Name][0]
		}
		if cur != nil {
			if line, ok := matched[cur.ID]; ok {
				bad(r.Line, "", "roster.row.same_member", line, cur.Name)
				continue
			}
			matched[cur.ID] = r.Line
		}
		var next models.Member
		if cur != nil {
			next = apply(*cur, r, s)
		} else {
			next = apply(models.Member{}, r, s)
			next.Active = src.Active
			if r.blankRole {
				bad(r.Line, colRole, "roster.role.required")
			}
		}
		if next.Mobile != nil {
			if h := byMobile[*next.Mobile]; h != nil && (cur == nil || h.ID != cur.ID) {
				bad(r.Line, colMobile, "member.mobile.taken", *next.Mobile, h.Name)
			}
		}
		if next.MemberNo != nil {
			if h := byNo[*next.MemberNo]; h != nil && (cur == nil || h.ID != cur.ID) {
				bad(r.Line, colMemberNo, "member.member_no.taken", *next.MemberNo, h.Name)
			}
		}
		if !hadProblem[r.Line] && cur != nil {
			// The row was valid on its own; combined with stored fields the file lacks it may not be.
			for _, fe := range next.Validate() {
				bad(r.Line, columnField[fe.Field], fe.Key, fe.Args...)
			}
		}
		switch {
		case cur == nil:
			rep.Created++
			next.Version = 1
			p.creates = append(p.creates, next)
		case sameMember(cur, &next):
			rep.Unchanged++
		default:
			rep.Updated++
			p.updates = append(p.updates, change{*cur, next})
		}
	}
	for i := range existing {
		m := &existing[i]
		if _, ok := matched[m.ID]; ok || !m.Active {
			continue
		}
		rep.Missing = append(rep.Missing, ref(m))
		if opts.DeactivateMissing {
			next := *m
			next.Active = false
			if next.LeftOn.IsZero() {
				next.LeftOn = today
			}
			p.deactivates = append(p.deactivates, change{*m, next})
			rep.Deactivated = append(rep.Deactivated, ref(m))
		}
	}
	return p
}

// apply copies onto base the fields of the columns the file has; a column the file lacks
// leaves the stored value alone.
func apply(base models.Member, r Row, s *Sheet) models.Member {
	m, src := base, r.Member
	for c := range s.headers {
		switch c {
		case colMemberNo:
			m.MemberNo = src.MemberNo
		case colName:
			m.Name = src.Name
		case colGender:
			m.Gender = src.Gender
		case colCompany:
			m.Company = src.Company
		case colTitle:
			m.Title = src.Title
		case colRole:
			if !r.blankRole {
				m.Role = src.Role
			}
		case colIndustry:
			m.Industry = src.Industry
		case colRegion:
			m.Region = src.Region
		case colMobile:
			m.Mobile = src.Mobile
		case colEmail:
			m.Email = src.Email
		case colDeputy:
			m.DeputyLevel = src.DeputyLevel
		case colCPPCC:
			m.CPPCCLevel = src.CPPCCLevel
		case colJoinedOn:
			m.JoinedOn = src.JoinedOn
		case colLeftOn:
			m.LeftOn = src.LeftOn
			m.Active = src.Active
		case colUnavailable:
			m.UnavailableMonths = src.UnavailableMonths
		case colActive:
			m.Active = src.Active
		}
	}
	return m
}

// sameMember compares the fields a roster file carries.
func sameMember(a, b *models.Member) bool {
	return eqPtr(a.MemberNo, b.MemberNo) && eqPtr(a.Mobile, b.Mobile) &&
		a.Name == b.Name && a.Gender == b.Gender && a.Company == b.Company && a.Title == b.Title &&
		a.Role == b.Role && a.Industry == b.Industry && a.Region == b.Region && a.Email == b.Email &&
		a.DeputyLevel == b.DeputyLevel && a.CPPCCLevel == b.CPPCCLevel && a.Active == b.Active &&
		a.JoinedOn == b.JoinedOn && a.LeftOn == b.LeftOn && slices.Equal(a.UnavailableMonths, b.UnavailableMonths)
}

func eqPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func ref(m *models.Member) MemberRef {
	r := MemberRef{ID: m.ID, Name: m.Name}
	if m.MemberNo != nil {
		r.MemberNo = *m.MemberNo
	}
	if m.Mobile != nil {
		r.Mobile = *m.Mobile
	}
	return r
}

// write applies the plan inside tx: new members in multi-row INSERTs, updates one statement
// each (guarded by version), and the audit trail in multi-row INSERTs.
func (p *importPlan) write(tx *gorm.DB, db *models.DB, ctx context.Context) error {
	audit := make([]models.AuditEntry, 0, len(p.creates)+len(p.updates)+len(p.deactivates))
	actor := models.ActorFrom(ctx)
	entry := func(action string, id uint64, before, after *models.Member) error {
		e := models.AuditEntry{At: db.Now().UTC(), Actor: actor.Name, Action: action, Entity: "member",
			EntityID: fmt.Sprint(id), RequestID: actor.RequestID}
		var err error
		if e.BeforeJSON, err = snapshot(before); err != nil {
			return err
		}
		if e.AfterJSON, err = snapshot(after); err != nil {
			return err
		}
		audit = append(audit, e)
		return nil
	}
	if len(p.creates) > 0 {
		if err := tx.CreateInBatches(&p.creates, batchSize).Error; err != nil {
			return models.Internal(err)
		}
		for i := range p.creates {
			if err := entry(ActionCreate, p.creates[i].ID, nil, &p.creates[i]); err != nil {
				return err
			}
		}
	}
	for _, group := range []struct {
		action  string
		changes []change
	}{{ActionUpdate, p.updates}, {ActionDeactivate, p.deactivates}} {
		for i := range group.changes {
			c := &group.changes[i]
			c.after.Version = c.before.Version + 1
			res := tx.Model(&models.Member{}).Where("id = ? AND version = ?", c.before.ID, c.before.Version).
				Select("*").Omit("id", "created_at").Updates(&c.after)
			if res.Error != nil {
				return models.Internal(res.Error)
			}
			if res.RowsAffected == 0 {
				return models.Errorf(models.EConflict, "error.stale_version", c.before.Version)
			}
			if err := entry(group.action, c.before.ID, &c.before, &c.after); err != nil {
				return err
			}
		}
	}
	if len(audit) > 0 {
		if err := tx.CreateInBatches(&audit, batchSize).Error; err != nil {
			return models.Internal(err)
		}
	}
	return nil
}

// snapshot is the audit's JSON form of a member, as models.DB.Audit writes it.
func snapshot(m *models.Member) (*string, error) {
	if m == nil {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, models.Internal(err)
	}
	s := string(b)
	return &s, nil
}
