//! Benchmarks of the Aura equivocation pallet (FRAME v2): a valid report, with the runtime's
//! authorities and offence handler (`Config::BenchmarkHelper` makes the offender a validator of
//! the current session, in a full set, and the author of a recent slot).

use super::*;
use alloc::boxed::Box;
use frame_benchmarking::v2::*;
use frame_system::{pallet_prelude::HeaderFor, RawOrigin};
use polkadot_sdk::{
	frame_benchmarking,
	sp_runtime::{
		traits::{Hash, One},
		RuntimeAppPublic,
	},
};

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn report_equivocation() -> Result<(), BenchmarkError> {
		let offender = T::AuthorityId::generate_pair(None);
		let slot = T::BenchmarkHelper::author_of_a_slot(&offender);
		let session = T::SlotAuthorship::author_of(slot, &offender)
			.ok_or(BenchmarkError::Stop("the helper made no slot author"))?
			.session;
		let header = |parent: &[u8]| -> HeaderFor<T> {
			sealed_header(One::one(), slot, T::Hashing::hash(parent), |message| {
				offender.sign(&message).expect("the key is in the benchmark's keystore")
			})
		};
		let (first_header, second_header) = (header(b"first"), header(b"second"));
		let proof = sp_consensus_slots::EquivocationProof {
			offender: offender.clone(),
			slot,
			first_header,
			second_header,
		};

		#[extrinsic_call]
		_(RawOrigin::None, Box::new(proof));

		let reported = frame_system::Pallet::<T>::events().iter().any(|record| {
			record.event
				== <T as frame_system::Config>::RuntimeEvent::from(
					Event::<T>::EquivocationReported { authority: offender.clone(), slot, session },
				)
		});
		assert!(reported, "the report went through");
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
