package dev.lunar.agent.tgtadm;

/** tgtadm's {@code --help} text and the tgt version whose behaviour this front reproduces. */
final class TgtadmHelp {

  /** {@code tgtadm -V}: scripts compare it to decide which tgt options they may use. */
  static final String VERSION = "1.0.85";

  static final String TEXT =
      """
      Lunar's tgtadm, compatible with the Linux SCSI Target administration utility, version 1.0.85

      Usage: tgtadm [OPTION]
      --lld <driver> --mode target --op new --tid <id> --targetname <name>
      \tcreate target <id> (not 0) named <name>.
      --lld <driver> --mode target --op delete [--force] --tid <id>
      \tdelete target <id>; --force ends its sessions first.
      --lld <driver> --mode target --op show [--tid <id>]
      \tshow all targets, or the parameters of target <id>.
      --lld <driver> --mode target --op update --tid <id> --name <param> --value <value>
      \tset a parameter of target <id>.
      --lld <driver> --mode target --op bind|unbind --tid <id> --initiator-address <address>
      --lld <driver> --mode target --op bind|unbind --tid <id> --initiator-name <name>
      \tallow or stop allowing initiators by address (or ALL) or by name.
      --lld <driver> --mode logicalunit --op new --tid <id> --lun <lun>
        --backing-store <path> [--bstype rdwr|null] [--bsoflags sync|direct|sync:direct]
        [--blocksize 512|4096]
      \tadd logical unit <lun> (not 0) to target <id>, backed by a file or block device.
      --lld <driver> --mode logicalunit --op update --tid <id> --lun <lun> --params <k=v,...>
      \tchange readonly, thin_provisioning, online, removable, scsi_id, scsi_sn, lbppbe.
      --lld <driver> --mode logicalunit --op delete --tid <id> --lun <lun>
      \tremove logical unit <lun> from target <id>.
      --lld <driver> --mode account --op new --user <name> --password <pass>
      --lld <driver> --mode account --op delete --user <name>
      --lld <driver> --mode account --op show
      \tmanage CHAP accounts (passwords are never shown).
      --lld <driver> --mode account --op bind|unbind --tid <id> --user <name> [--outgoing]
      \tuse an account for target <id>: incoming CHAP, or with --outgoing mutual CHAP.
      --lld <driver> --mode conn --op show|delete --tid <id> [--sid <sid> [--cid <cid>]]
      \tlist or end the sessions of target <id>.
      --lld <driver> --mode system --op show|delete [--force]
      \tshow the daemon, or stop it (--force when targets remain).
      --control-port <port> use control port <port>
      --help
      \tdisplay this help and exit
      """;

  private TgtadmHelp() {}
}
