//! What the runtime API reports of clearing schemes: a scheme's open cycle and a member's
//! standing. Reads only; iterates at most `MaxMembers` positions.

use super::*;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Scheme `id`'s open cycle (gross and net so far), the cycle it is settling and its last
	/// settled one; `None` for an unknown scheme.
	pub fn open_cycle(
		id: SchemeId,
	) -> Option<CycleView<BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>> {
		let scheme = Schemes::<T>::get(id)?;
		let (mut gross, mut net) = (BalanceOf::<T>::zero(), BalanceOf::<T>::zero());
		for (_, position) in Positions::<T>::iter_prefix((id, scheme.cycle)) {
			gross.saturating_accrue(position.paid);
			net.saturating_accrue(scheme::net_credit(&position));
		}
		Some(CycleView {
			cycle: scheme.cycle,
			started_at: scheme.cycle_started,
			closes_at: scheme.closes_at,
			gross,
			net,
			settling: Nettings::<T>::get(id).map(|n| (n.cycle, n.phase)),
			last_settled: LastSettled::<T>::get(id),
		})
	}

	/// `who`'s cap, collateral, standing, open-cycle position and credit limits in scheme `id`;
	/// `None` if it is not a member.
	pub fn member(id: SchemeId, who: T::AccountId) -> Option<MemberViewOf<T>> {
		let scheme = Schemes::<T>::get(id)?;
		let record = Members::<T>::get(id, &who)?;
		let position = Positions::<T>::get((id, scheme.cycle), &who);
		Some(MemberView {
			net_debit_cap: record.net_debit_cap,
			collateral: record.collateral,
			suspended: record.suspended,
			paid: position.paid,
			received: position.received,
			unclaimed: Unclaimed::<T>::get(id, &who),
			credit_limits: Self::credit_lines(id, &who, &record, scheme.cycle),
		})
	}
}
