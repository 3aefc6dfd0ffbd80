package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	"github.com/gsl/rota/models"
)

const userUsage = `用法 usage:
  rota user add [--admin | --role admin|leader|member|viewer] [--member 成员编号] [--password 密码] [--name 显示名] 用户名
  rota user passwd [--password 密码] 用户名     重设密码（不给出则随机生成）(reset a password)
  rota user list                               列出账户 (list accounts)
`

// runUser is "rota user": create the first admin and manage accounts from the command line,
// for when nobody can sign in.
func runUser(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.stderr, userUsage)
		return errUsage
	}
	ctx = models.WithActor(ctx, models.Actor{Name: "cli"})
	switch args[0] {
	case "add":
		return runUserAdd(ctx, env, args[1:])
	case "passwd":
		return runUserPasswd(ctx, env, args[1:])
	case "list":
		return runUserList(ctx, env)
	}
	fmt.Fprint(env.stderr, userUsage)
	return errUsage
}

func runUserAdd(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	admin := fs.Bool("admin", false, "管理员（秘书处）账户 (an admin account)")
	role := fs.String("role", string(models.AccountViewer), "角色 role: admin, leader, member, viewer")
	member := fs.Uint64("member", 0, "关联的成员编号 (linked member id)")
	password := fs.String("password", "", "密码，不给出则随机生成 (password; generated when empty)")
	name := fs.String("name", "", "显示名 (display name)")
	if err := fs.Parse(reorderFlags(args)); err != nil || fs.NArg() != 1 {
		fmt.Fprint(env.stderr, userUsage)
		return errUsage
	}
	na := models.NewAccount{Username: fs.Arg(0), DisplayName: *name, Role: models.AccountRole(*role), Password: *password}
	if *admin {
		na.Role = models.AccountAdmin
	}
	if *member != 0 {
		na.MemberID = member
	}
	db, err := env.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a, pw, err := db.CreateAccount(ctx, na)
	if err != nil {
		return cliError(env, err)
	}
	fmt.Fprintf(env.stdout, "已创建账户 %s（角色 %s）(created account %s, role %s)\n", a.Username, a.Role, a.Username, a.Role)
	if *password == "" {
		printPassword(env, a.Username, pw)
	}
	return nil
}

func runUserPasswd(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("user passwd", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	password := fs.String("password", "", "新密码，不给出则随机生成 (new password; generated when empty)")
	if err := fs.Parse(reorderFlags(args)); err != nil || fs.NArg() != 1 {
		fmt.Fprint(env.stderr, userUsage)
		return errUsage
	}
	db, err := env.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := db.GetAccountByUsername(ctx, fs.Arg(0))
	if err != nil {
		return cliError(env, err)
	}
	pw, err := db.SetPassword(ctx, a.ID, nil, *password)
	if err != nil {
		return cliError(env, err)
	}
	fmt.Fprintf(env.stdout, "已重设 %s 的密码，其登录会话和访问令牌均已失效 (password reset; sessions and tokens revoked)\n", a.Username)
	if *password == "" {
		printPassword(env, a.Username, pw)
	}
	return nil
}

func runUserList(ctx context.Context, env *cliEnv) error {
	db, err := env.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	as, err := db.ListAccounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range as {
		member, state := "-", "在用 active"
		if a.MemberID != nil {
			member = strconv.FormatUint(*a.MemberID, 10)
		}
		if !a.Active {
			state = "停用 inactive"
		}
		fmt.Fprintf(env.stdout, "%-20s %-8s 成员 member %-6s %s\n", a.Username, a.Role, member, state)
	}
	return nil
}

// printPassword shows a generated password once, in both languages.
func printPassword(env *cliEnv, username, pw string) {
	fmt.Fprintf(env.stdout, "\n  用户名 username: %s\n  密码   password: %s\n\n", username, pw)
	fmt.Fprintln(env.stdout, "  请立即记下此密码，它不会再次显示；登录后可修改。")
	fmt.Fprintln(env.stdout, "  Write this password down now: it is not shown again. Change it after signing in.")
}

// cliError renders an application error with its field messages in the configured language.
func cliError(env *cliEnv, err error) error {
	e, ok := err.(*models.Error)
	if !ok {
		return err
	}
	msg := e.Message(env.lang)
	for _, f := range e.Fields {
		msg += fmt.Sprintf("\n  %s: %s", f.Field, f.Message(env.lang))
	}
	return fmt.Errorf("%s", msg)
}

// reorderFlags moves the positional argument after the flags, so "user add NAME --admin"
// works as well as "user add --admin NAME".
func reorderFlags(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--admin" || a == "-admin":
			flags = append(flags, a)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if !containsEq(a) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}

func containsEq(s string) bool {
	for _, r := range s {
		if r == '=' {
			return true
		}
	}
	return false
}
