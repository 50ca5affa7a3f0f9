package steps

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/morcheck/morcheck/fixtures"
)

// The phrases scenarios use for accounts, devices and IVRs, and the profile
// roles they stand for. Step patterns are built from these tables, so a
// feature can only name what the profile maps.
var (
	actorRoles = map[string]string{
		"the admin":                            fixtures.RoleAdmin,
		"the reseller":                         fixtures.RoleReseller,
		"an accountant with Manage Devices":    fixtures.RoleAccountantManage,
		"an accountant without Manage Devices": fixtures.RoleAccountantNoManage,
		"a simple user":                        fixtures.RoleAdminUser,
		"an unknown user":                      "",
	}
	ownerRoles = map[string]string{
		"the admin's user":    fixtures.RoleAdminUser,
		"the reseller's user": fixtures.RoleResellerUser,
	}
	deviceRoles = map[string]string{
		"a device of the admin's user":       fixtures.RoleAdminUserDevice,
		"another device of the admin's user": fixtures.RoleAdminUserOtherDevice,
		"a device of the reseller's user":    fixtures.RoleResellerUserDevice,
		"a device that does not exist":       "",
	}
	ivrRoles = map[string]string{
		"the admin's IVR":            fixtures.RoleAdminIVR,
		"the reseller's IVR":         fixtures.RoleResellerIVR,
		"an IVR that does not exist": "",
	}
	accountKeys = map[string]string{
		"the admin":    fixtures.RoleAdmin,
		"the reseller": fixtures.RoleReseller,
	}
)

// deviceID gives the id of the device a phrase names.
func deviceID(p *fixtures.Profile, phrase string) string {
	role := deviceRoles[phrase]
	if role == "" {
		return strconv.FormatInt(p.Absent.DeviceID, 10)
	}
	return strconv.FormatInt(p.Devices[role].ID, 10)
}

// ivrID gives the id of the IVR a phrase names.
func ivrID(p *fixtures.Profile, phrase string) string {
	role := ivrRoles[phrase]
	if role == "" {
		return strconv.FormatInt(p.Absent.IVRID, 10)
	}
	return strconv.FormatInt(p.IVRs[role].ID, 10)
}

// alternatives renders the keys of a phrase table as a regexp group.
func alternatives(table map[string]string) string {
	keys := slices.Sorted(maps.Keys(table))
	group := "("
	for i, k := range keys {
		if i > 0 {
			group += "|"
		}
		group += regexpQuote(k)
	}
	return group + ")"
}

// expand replaces each {owner phrase} in a documented message with the
// display name the profile gives that owner.
func expand(p *fixtures.Profile, message string) (string, error) {
	out := []byte{}
	for i := 0; i < len(message); i++ {
		if message[i] != '{' {
			out = append(out, message[i])
			continue
		}
		end := i + 1
		for end < len(message) && message[end] != '}' {
			end++
		}
		if end == len(message) {
			return "", fmt.Errorf("unclosed { in %q", message)
		}
		phrase := message[i+1 : end]
		role, ok := ownerRoles[phrase]
		if !ok {
			return "", fmt.Errorf("{%s} in %q names no owner (known: %v)", phrase, message, slices.Sorted(maps.Keys(ownerRoles)))
		}
		out = append(out, DisplayName(p, role)...)
		i = end
	}
	return string(out), nil
}
